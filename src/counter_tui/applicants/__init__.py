"""Applicants: identity checks (ID numbers, 统一社会信用代码, phones, names) and masking. Pure."""

from counter_tui.applicants.identity import (
    DEFAULT_ID_TYPE,
    ID_TYPES,
    check_id_number,
    check_uscc,
    id_type_label,
)
from counter_tui.applicants.masking import mask_id, mask_name, mask_phone
from counter_tui.applicants.rules import (
    SEXES,
    Checked,
    check_address,
    check_name,
    check_phone,
)

__all__ = [
    "DEFAULT_ID_TYPE",
    "ID_TYPES",
    "SEXES",
    "Checked",
    "check_address",
    "check_id_number",
    "check_name",
    "check_phone",
    "check_uscc",
    "id_type_label",
    "mask_id",
    "mask_name",
    "mask_phone",
]
