"""Code sets of the catalog, after GB/T 39046-2020 appendix A (see DOMAIN.md), with the
extensions the standard allows. Labels are what the clerk reads."""

ITEM_TYPES = {
    "01": "行政许可",
    "02": "行政处罚",
    "03": "行政强制",
    "04": "行政征收",
    "05": "行政给付",
    "06": "行政检查",
    "07": "行政确认",
    "08": "行政奖励",
    "09": "行政裁决",
    "10": "其他行政权力",
    "20": "公共服务",
    "21": "行政备案",  # extension: GB/T 39046 allows it; many provinces list 备案 apart
}

SERVICE_OBJECTS = {
    "1": "自然人",
    "2": "企业法人",
    "3": "事业法人",
    "4": "社会组织法人",
    "5": "行政机关",
    "6": "其他组织",
}

HANDLING_FORMS = {"1": "窗口办理", "2": "网上办理", "3": "移动端办理", "4": "快递申请", "9": "其他"}

#: Where an item may be accepted. The standard's 行使层级 says who decides; this says which
#: windows may take the application (a village room takes many items a county office decides).
LEVELS = {"county": "县级", "town": "乡镇（街道）", "village": "村（社区）"}

SCOPES = {"全国": "全国通办", "跨省": "跨省通办", "跨市": "跨市通办", "跨县": "跨县通办"}

#: How a material may be handled at intake, strictest first.
MATERIAL_MODES = {
    "required": "必须提交",
    "deferrable": "可容缺",
    "commitment": "可告知承诺",
    "exempt": "免提交",
}

NO_FEE = "不收费"
