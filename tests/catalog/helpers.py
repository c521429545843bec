"""The small test catalog as files: departments SCJG and SWJ, items S-1 (with a situation) and
T-1 (即办件, one exempt material), bundle YJS-KB. Small and fixed, so that what tests and
snapshots show does not change when the shipped catalog grows."""

from __future__ import annotations

from pathlib import Path

DEPARTMENTS = """\
[[department]]
code = "SCJG"
name = "区市场监督管理局"

[[department]]
code = "SWJ"
name = "区税务局"
"""

KINDS = """\
[[kind]]
code = "resident_id"
name = "居民身份证"

[[kind]]
code = "application"
name = "申请书"

[[kind]]
code = "power_of_attorney"
name = "授权委托书"

[[kind]]
code = "business_licence"
name = "营业执照"
"""

ITEM = """\
code = "{code}"
name = "{name}"
aliases = ["营业执照"]
department = "SCJG"
type = "01"
service_objects = ["1"]
levels = ["county", "town", "village"]
legal_basis = "《促进个体工商户发展条例》"
conditions = "有经营能力的公民"
legal_limit_days = 15
committed_limit_days = 3
trips = 1
fee = "不收费"
steps = ["受理", "审核", "发照"]
location = "区政务服务中心"
hours = "工作日 9:00-17:00"
phone = "0710-1234567"
supervision_phone = "0710-12345"

[[materials]]
id = "form"
name = "登记申请书"
kind = "application"
originals = 1
copies = 0
mode = "required"

[[materials]]
id = "id"
name = "经营者身份证"
kind = "resident_id"
originals = 1
copies = 1
mode = "required"

[[materials]]
id = "attorney"
name = "授权委托书"
kind = "power_of_attorney"
originals = 1
copies = 0
mode = "required"
conditional = true

[[situations]]
id = "agent"
question = "是否委托他人办理？"

[[situations.options]]
answer = "本人办理"

[[situations.options]]
answer = "委托代理人"
adds = ["attorney"]
"""

TAX_ITEM = """\
code = "T-1"
name = "税务登记"
department = "SWJ"
type = "20"
service_objects = ["1", "2"]
levels = ["county"]
legal_basis = "《税收征收管理法》"
conditions = "已领取营业执照"
legal_limit_days = 0
committed_limit_days = 0
trips = 1
fee = "不收费"
steps = ["受理", "办结"]
location = "区政务服务中心"
hours = "工作日"
phone = "0710-2"
supervision_phone = "0710-3"

[[materials]]
id = "id"
name = "身份证"
kind = "resident_id"
originals = 1
copies = 2
mode = "required"

[[materials]]
id = "licence"
name = "营业执照"
kind = "business_licence"
originals = 0
copies = 0
electronic = true
mode = "exempt"
source = "电子证照库"
"""

BUNDLE = """\
code = "YJS-KB"
name = "开办个体户一件事"
items = ["S-1", "T-1"]
lead_department = "SCJG"
"""


def write_catalog(root: Path, **replace: str) -> Path:
    """A small valid catalog; `replace` maps relative file names to other contents."""
    files = {
        "catalog.toml": 'name = "测试目录"\nversion = "1"\n',
        "departments.toml": DEPARTMENTS,
        "material_kinds.toml": KINDS,
        "items/SCJG/S-1.toml": ITEM.format(code="S-1", name="个体工商户设立登记"),
        "items/SWJ/T-1.toml": TAX_ITEM,
        "bundles/YJS-KB.toml": BUNDLE,
    }
    files.update(replace)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
