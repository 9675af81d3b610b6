"""Labels of tables and columns in each language."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "actual": {"zh": "{y} 年支出", "en": "{y} expenditure"},
    "approved": {"zh": "{y} 年批款", "en": "{y} appropriation"},
    "proposed": {"zh": "{y} 年估计(重计费用前)", "en": "{y} estimate (before recosting)"},
    "estimate": {"zh": "{y} 年估计", "en": "{y} estimate"},
    "planned": {"zh": "{y} 年计划", "en": "{y} planned"},
    "target": {"zh": "{y} 年目标", "en": "{y} target"},
    "actual_plain": {"zh": "{y} 年实际", "en": "{y} actual"},
    "revised": {"zh": "{y} 年订正", "en": "{y} revised"},
    "technical": {"zh": "技术调整", "en": "Technical adjustments"},
    "new_mandates": {"zh": "新的/扩大的任务", "en": "New/expanded mandates"},
    "other": {"zh": "其他", "en": "Other"},
    "total": {"zh": "共计", "en": "Total"},
    "percent": {"zh": "百分比", "en": "Percentage"},
    "subtotal": {"zh": "小计", "en": "Subtotal"},
    "line": {"zh": "支出用途", "en": "Object of expenditure"},
    "item": {"zh": "类别和次类别", "en": "Category and subcategory"},
    "grade": {"zh": "职等", "en": "Grade"},
    "unit": {"zh": "组织单位", "en": "Organizational unit"},
    "change": {"zh": "变动", "en": "Change"},
    "rate": {"zh": "交付率(%)", "en": "Delivery rate (%)"},
    "measure": {"zh": "业绩计量", "en": "Performance measure"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "resources": {"zh": "按资金来源列示的财政资源 (千{c})",
                  "en": "Financial resources by source of funds (thousands of {c})"},
    "grant": {"zh": "联合国给国贸中心的赠款 (千美元)", "en": "United Nations grant to ITC (thousands of USD)"},
    "posts": {"zh": "员额资源 (员额数目)", "en": "Post resources (number of posts)"},
    "structure": {"zh": "{y} 年组织结构和员额分配", "en": "Organizational structure and post distribution for {y}"},
    "deliverables": {"zh": "应交付产出", "en": "Deliverables"},
    "measures": {"zh": "业绩计量", "en": "Performance measures"},
    "compliance": {"zh": "遵守率 (百分比)", "en": "Compliance rate (percentage)"},
    "changes": {"zh": "{a} 至 {b} 年员额变动", "en": "Post changes from {a} to {b}"},
    "conversion": {"zh": "赠款换算", "en": "Grant conversion"},
    "rb": {"zh": "国贸中心全额经常预算", "en": "ITC RB"},
    "xb": {"zh": "预算外", "en": "XB"},
    "all": {"zh": "共计", "en": "Total"},
    "redeployed": {"zh": "调动", "en": "Redeployed"},
    "established": {"zh": "新设", "en": "Established"},
    "abolished": {"zh": "裁撤", "en": "Abolished"},
    "renamed": {"zh": "更名", "en": "Renamed"},
    "from": {"zh": "调出单位", "en": "From"},
    "to": {"zh": "调入单位", "en": "To"},
    "number": {"zh": "数目", "en": "Number"},
    "kind": {"zh": "类型", "en": "Kind"},
    "before": {"zh": "重计费用前", "en": "Before recosting"},
    "recosting": {"zh": "重计费用", "en": "Recosting"},
    "after": {"zh": "重计费用后", "en": "After recosting"},
    "missing": {"zh": "[无中文译文]", "en": "[no English translation]"},
}


def label(key: str, lang: str, **values: object) -> str:
    """A label in a language; a language without one shows the English label marked as untranslated."""
    entry = LABELS[key]
    text = entry.get(lang)
    if text is None:
        return f"[{lang}?] " + entry["en"].format(**values)
    return text.format(**values)


def period_label(period: str, lang: str, money: bool = True) -> str:
    """The column heading of a period: "2024 estimate (before recosting)", or "2022 actual" outside money."""
    year, stage = period.split(" ")
    key = "actual_plain" if stage == "actual" and not money else stage
    return label(key, lang, y=year)
