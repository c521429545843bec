"""The words a synthetic catalog is made of (bench/catalog.py): departments and the laws their
items rest on, the parts real item names are composed from, aliases, material kinds and
bundles. Pure data, parsed once at import.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNTY = "襄城区"
REGION = "420602"

#: code, name, the law most of its items rest on.
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("SCJG", "区市场监督管理局", "《中华人民共和国市场主体登记管理条例》"),
    ("RSJ", "区人力资源和社会保障局", "《中华人民共和国社会保险法》"),
    ("YBJ", "区医疗保障局", "《医疗保障基金使用监督管理条例》"),
    ("MZJ", "区民政局", "《社会救助暂行办法》"),
    ("GAJ", "区公安分局", "《中华人民共和国居民身份证法》"),
    ("ZRZY", "区自然资源和规划局", "《不动产登记暂行条例》"),
    ("ZJJ", "区住房和城乡建设局", "《中华人民共和国建筑法》"),
    ("NYNC", "区农业农村局", "《中华人民共和国土地管理法》"),
    ("WJJ", "区卫生健康局", "《医疗机构管理条例》"),
    ("JYJ", "区教育局", "《中华人民共和国民办教育促进法》"),
    ("JTYS", "区交通运输局", "《中华人民共和国道路运输条例》"),
    ("SLJ", "区水利和湖泊局", "《中华人民共和国水法》"),
    ("STHJ", "市生态环境局襄城分局", "《排污许可管理条例》"),
    ("WHLY", "区文化和旅游局", "《娱乐场所管理条例》"),
    ("TYJR", "区退役军人事务局", "《军人抚恤优待条例》"),
    ("CJR", "区残疾人联合会", "《残疾人保障法》"),
    ("YJGL", "区应急管理局", "《危险化学品安全管理条例》"),
    ("GJJ", "市住房公积金中心襄城办事处", "《住房公积金管理条例》"),
    ("SFJ", "区司法局", "《中华人民共和国法律援助法》"),
    ("SWJ", "国家税务总局襄城区税务局", "《中华人民共和国税收征收管理法》"),
)

#: The parts of the names. A block starts with "@department type service-objects levels" (levels
#: c = county, t = county and town, v = county, town and village); then "prefix:", "subject:"
#: and "verb:" lines (a field may take several lines). Names are prefix + subject + verb.
PARTS = """
@SCJG 07 12 t
prefix: 个体工商户 农民专业合作社 有限责任公司 股份有限公司 个人独资企业 合伙企业 外商投资企业
prefix: 分公司 非公司企业法人
verb: 设立登记 变更登记 注销登记 备案 歇业备案 简易注销 营业执照补领
@SCJG 01 12 c
subject: 食品经营许可证 食品生产许可证 食品小作坊登记证 小餐饮经营许可证 药品零售企业许可证
subject: 第二类医疗器械经营备案凭证 特种设备使用登记证 工业产品生产许可证 计量标准考核证书
subject: 户外广告设置登记 网络食品交易第三方平台备案
verb: 核发 变更 延续 注销 补办
@RSJ 20 1 v
prefix: 城乡居民 城镇职工 灵活就业人员 被征地农民
subject: 基本养老保险 失业保险 工伤保险
verb: 参保登记 待遇申领 关系转移接续 权益记录查询 停保 缴费基数核定
@RSJ 20 1 v
subject: 社会保障卡
verb: 申领 补领 换领 挂失 解挂 信息变更 启用
@RSJ 01 12 c
subject: 就业创业证 职业资格证书 技能等级证书 劳务派遣经营许可证 人力资源服务许可证
verb: 申领 核发 变更 延续 注销 补发
@RSJ 05 1 t
prefix: 高校毕业生 就业困难人员 返乡创业人员 退役军人 脱贫劳动力
subject: 一次性创业补贴 社会保险补贴 创业担保贷款 就业见习补贴 求职创业补贴
verb: 申领 审核 发放
@YBJ 20 1 v
prefix: 城乡居民 职工
subject: 基本医疗保险 大病保险 生育保险 门诊慢特病
verb: 参保登记 待遇申报 异地就医备案 费用报销 关系转移接续 变更登记
@MZJ 05 1 v
subject: 最低生活保障 特困人员救助供养 临时救助 高龄津贴 困难残疾人生活补贴 重度残疾人护理补贴
subject: 孤儿基本生活保障 事实无人抚养儿童保障
verb: 申请 审核 待遇调整 停发 资格认定 年度复核
@MZJ 07 1 c
verb: 结婚登记 离婚登记 补领婚姻登记证 撤销婚姻登记 婚姻登记档案查询
@MZJ 07 4 c
prefix: 社会团体 民办非企业单位 基金会 养老机构 殡葬服务机构 儿童福利机构
verb: 成立登记 变更登记 注销登记 年度检查 章程核准 印章备案
@GAJ 07 1 t
subject: 居民身份证
verb: 首次申领 换领 补领 临时身份证申领 异地受理
@GAJ 07 1 t
subject: 户口
verb: 出生登记 迁入 迁出 死亡注销 项目变更更正 恢复登记 分户
@GAJ 01 1 c
subject: 普通护照 往来港澳通行证 往来台湾通行证 居住证
verb: 首次申请 换发 补发 签注 加注
@GAJ 07 12 c
prefix: 小型汽车 摩托车 低速货车 电动自行车 挂车 中型客车 轻型货车
verb: 注册登记 转移登记 变更登记 抵押登记 注销登记 补领号牌 补领行驶证 检验合格标志核发
@ZRZY 07 126 t
prefix: 国有建设用地使用权 房屋所有权 宅基地使用权及房屋所有权 集体土地所有权 土地承包经营权
prefix: 林权 海域使用权 集体建设用地使用权
verb: 首次登记 转移登记 变更登记 抵押登记 注销登记 预告登记 更正登记 异议登记
@ZRZY 01 126 c
subject: 建设工程规划许可证 乡村建设规划许可证 建设用地规划许可证 临时用地
verb: 核发 变更 延期 审批
@ZJJ 01 12 c
subject: 建筑工程施工许可证 商品房预售许可 燃气经营许可证 城市建筑垃圾处置核准 公共租赁住房资格
subject: 物业服务企业 房屋租赁登记
verb: 核发 变更 延期 注销 备案 申请
@ZJJ 01 2 c
prefix: 建筑业企业 工程监理企业 房地产开发企业 建设工程勘察 建设工程设计
subject: 资质
verb: 首次申请 增项 延续 变更 重新核定 简化审批
@NYNC 01 1 v
subject: 农村宅基地
verb: 建房审批 用地审批 使用权确认 退出补偿
@NYNC 01 12 c
subject: 农药经营许可证 兽药经营许可证 种子生产经营许可证 动物防疫条件合格证 渔业船舶登记
subject: 拖拉机和联合收割机登记 生鲜乳收购许可证 水产苗种生产许可证
verb: 核发 变更 延续 注销 补办
@NYNC 05 12 v
subject: 耕地地力保护补贴 农机购置补贴 种粮一次性补贴 农业保险保费补贴
verb: 申领 审核 发放
@WJJ 01 12 c
subject: 医疗机构执业许可证 公共场所卫生许可证 放射诊疗许可 母婴保健技术服务执业许可证
verb: 核发 变更 延续 注销 校验
@WJJ 01 1 c
prefix: 医师 护士 乡村医生 执业药师 执业助理医师
verb: 执业注册 变更注册 注销注册 多机构备案 定期考核
@WJJ 20 1 v
subject: 生育登记 出生医学证明 计划生育家庭特别扶助金 独生子女父母奖励
verb: 办理 补发 申领 审核
@JYJ 01 14 c
prefix: 幼儿园 小学 初级中学 普通高中 中等职业学校 校外培训机构
verb: 设立审批 变更审批 终止审批 年度检查 办学许可证换发
@JYJ 20 1 v
subject: 教师资格认定 学生资助 义务教育入学
verb: 申请 登记 审核
@JTYS 01 12 c
subject: 道路运输经营许可证 道路运输证 出租汽车驾驶员从业资格证 网络预约出租汽车运输证
subject: 机动车驾驶员培训备案 公路超限运输
verb: 核发 变更 换发 补发 注销 年审
@SLJ 01 12 c
subject: 取水许可 河道管理范围内建设项目 水土保持方案 洪水影响评价 农村集体经济组织修建水库
verb: 审批 变更 延续 验收
@STHJ 01 2 c
subject: 排污许可证 建设项目环境影响评价文件 危险废物经营许可证 辐射安全许可证
verb: 核发 变更 延续 注销 审批
@WHLY 01 12 c
prefix: 歌舞娱乐场所 游艺娱乐场所 互联网上网服务营业场所 营业性演出 演出经纪机构 旅行社
prefix: 文艺表演团体 艺术品经营单位 出版物零售单位 印刷企业
verb: 设立 变更 注销 延续 补证
@TYJR 05 1 v
subject: 退役军人优待证 伤残抚恤关系 退役士兵自主就业一次性经济补助 参战参试退役人员生活补助
verb: 申领 转移 审核 发放 补办
@CJR 20 1 v
subject: 残疾人证 残疾儿童康复救助 残疾人辅助器具适配补贴
verb: 新办 换领 迁移 补办 注销 等级变更 申请
@YJGL 01 2 c
subject: 危险化学品经营许可证 烟花爆竹经营（零售）许可证 非药品类易制毒化学品经营备案
verb: 核发 变更 延期 注销
@GJJ 20 12 t
subject: 住房公积金
verb: 缴存登记 购房提取 租房提取 离职提取 个人贷款 贷款提前还款 账户转移 缴存基数调整
@SFJ 20 1 v
subject: 法律援助 人民调解 公证 基层法律服务工作者执业核准
verb: 申请 受理 审批 变更
@SWJ 10 12 t
prefix: 增值税 消费税 企业所得税 个人所得税 房产税 城镇土地使用税 印花税 契税 车船税 资源税
prefix: 环境保护税 耕地占用税
verb: 申报 减免税备案 退税申请 更正申报 延期缴纳 完税证明开具
"""

_LEVELS = {"c": ("county",), "t": ("county", "town"), "v": ("county", "town", "village")}


@dataclass(frozen=True)
class Group:
    """Names = prefix + subject + verb for every combination."""

    department: str
    type: str
    objects: tuple[str, ...]
    levels: tuple[str, ...]
    prefixes: tuple[str, ...] = ("",)
    subjects: tuple[str, ...] = ("",)
    verbs: tuple[str, ...] = ("",)


def _groups(text: str) -> tuple[Group, ...]:
    groups: list[Group] = []
    for block in text.split("@")[1:]:
        head, *lines = block.strip().splitlines()
        department, type_, objects, levels = head.split()
        parts: dict[str, list[str]] = {}
        for line in lines:
            field, _, words = line.partition(":")
            parts.setdefault(field + "es" if field == "prefix" else field + "s", []).extend(
                words.split()
            )
        named = {field: tuple(words) for field, words in parts.items()}
        groups.append(Group(department, type_, tuple(objects), _LEVELS[levels], **named))
    return tuple(groups)


GROUPS = _groups(PARTS)

#: Who applies, when an item serves people and organisations alike (catalogs split such items).
APPLICANTS = ("个人", "法人")
#: Variants real catalogs list as separate items (业务办理项).
VARIANTS = ("告知承诺制", "容缺受理", "跨省通办", "全程网办", "延伸到村代办", "委托乡镇实施")

#: What people call a subject or a whole item: becomes an alias of items whose name contains it.
ALIASES: dict[str, tuple[str, ...]] = {
    "设立登记": ("营业执照", "开办注册"),
    "个体工商户设立登记": ("营业执照", "个体户注册"),
    "营业执照补领": ("营业执照遗失",),
    "社会保障卡": ("社保卡",),
    "基本医疗保险": ("医保",),
    "基本养老保险": ("社保", "养老保险"),
    "最低生活保障": ("低保",),
    "居民身份证": ("身份证",),
    "婚姻登记": ("结婚证",),
    "房屋所有权": ("房产证", "房本"),
    "农村宅基地": ("宅基地", "建房"),
    "残疾人证": ("残疾证",),
    "住房公积金": ("公积金",),
    "往来港澳通行证": ("港澳通行证",),
    "普通护照": ("护照",),
    "出生医学证明": ("出生证",),
    "生育登记": ("准生证",),
    "道路运输证": ("营运证",),
}

#: (code, name); the first five are the ones every item uses.
KINDS: tuple[tuple[str, str], ...] = (
    ("application_form", "申请表"),
    ("resident_id", "居民身份证"),
    ("power_of_attorney", "授权委托书"),
    ("household_register", "居民户口簿"),
    ("marriage_certificate", "结婚证"),
    ("business_licence", "营业执照"),
    ("property_certificate", "不动产权证书"),
    ("lease_contract", "房屋租赁合同"),
    ("photo", "近期免冠照片"),
    ("bank_card", "本人银行卡或存折"),
    ("medical_certificate", "医学诊断证明"),
    ("site_plan", "场所平面图"),
    ("income_statement", "家庭收入情况说明"),
    ("articles", "章程"),
    ("technical_report", "技术评估报告"),
)

STEPS = ("受理", "审核", "决定", "送达")
BUNDLES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], str], ...] = (
    ("YJS-KBQY", "开办企业一件事", ("开公司", "企业开办"), ("设立登记", "许可证核发"), "SCJG"),
    ("YJS-CSY", "新生儿出生一件事", ("出生一件事", "上户口"), ("出生", "参保登记"), "WJJ"),
    ("YJS-TX", "退休一件事", ("办退休",), ("待遇申领", "提取"), "RSJ"),
    ("YJS-SH", "身后一件事", ("死亡销户",), ("死亡注销", "停保", "停发"), "MZJ"),
    ("YJS-JYCY", "就业创业一件事", ("找工作",), ("补贴申领", "就业创业证"), "RSJ"),
    ("YJS-ESF", "二手房转移登记一件事", ("二手房过户",), ("转移登记", "账户转移"), "ZRZY"),
    ("YJS-CJR", "残疾人服务一件事", ("残疾人一件事",), ("残疾", "辅助器具"), "CJR"),
    ("YJS-NCJF", "农村建房一件事", ("建房一件事",), ("宅基地", "乡村建设规划"), "NYNC"),
)
