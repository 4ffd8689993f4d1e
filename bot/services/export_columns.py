"""Sheet names and the headers of the deals and interactions sheets, in Chinese and English.

Source: the words Chinese export reps use for these records (商机, 跟进记录, 贸易术语) and
their usual English equivalents. The customers sheet takes its headers from
handlers/sheet_columns.py, which import reads too.

Headers are a file format rather than chat text: a sheet that users filter, or import
again, must not change when a translation is reworded. So they live in this table and
not in the gettext catalogs.
"""

from __future__ import annotations

# sheet -> (Chinese name, English name)
SHEET_NAMES: dict[str, tuple[str, str]] = {
    "customers": ("客户", "Customers"),
    "deals": ("商机", "Deals"),
    "interactions": ("跟进记录", "Interactions"),
}

# The customers sheet's fields in column order; export_header() names each. The sheet
# table has more fields (such as city) that import reads but the database does not store.
CUSTOMER_FIELDS: tuple[str, ...] = (
    "company",
    "country",
    "subdivision",
    "zone",
    "contact",
    "role",
    "email",
    "phone",
    "birthday",
    "tier",
    "source",
    "last_contact",
    "note",
    "tags",
    "owner",
)

# field -> (Chinese header, English header), in column order.
DEAL_COLUMNS: dict[str, tuple[str, str]] = {
    "customer": ("客户名称", "Customer"),
    "product": ("产品", "Product"),
    "spec": ("规格", "Spec"),
    "quantity": ("数量", "Quantity"),
    "unit": ("单位", "Unit"),
    "price": ("单价", "Unit Price"),
    "currency": ("币种", "Currency"),
    "incoterm": ("贸易术语", "Incoterm"),
    "value": ("金额", "Value"),
    "stage": ("阶段", "Stage"),
    "probability": ("成交概率", "Probability"),
    "close_date": ("预计成交日期", "Close Date"),
    "owner": ("负责人", "Owner"),
}

INTERACTION_COLUMNS: dict[str, tuple[str, str]] = {
    "customer": ("客户名称", "Customer"),
    "date": ("时间", "Date"),
    "kind": ("类型", "Kind"),
    "text": ("内容", "Text"),
    "member": ("记录人", "Member"),
}


def localized(names: tuple[str, str], locale: str) -> str:
    """Return the Chinese name for zh_CN and the English one for any other locale."""
    chinese, english = names
    return chinese if locale == "zh_CN" else english
