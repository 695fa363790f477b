//! The YAML shape of a declaration, as serde types (the contract of `declarations.md`).
//!
//! Every leaf is a [`Field`]: the scalar's source text and where it stands, so that numbers
//! reach [`super::amount`] as text (never through `f64`) and every rule can point at its line.
//! Every key is accepted under its English name and under the label printed on the form.
//! `deny_unknown_fields` turns a misspelt key into `yaml.unknown-key`.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

use crate::diagnostic::Loc;

/// Converts a serde-saphyr location (1-based line and column) to ours.
pub fn loc_of(location: &serde_saphyr::Location) -> Loc {
    Loc::new(
        u32::try_from(location.line()).unwrap_or(u32::MAX),
        u32::try_from(location.column()).unwrap_or(u32::MAX),
    )
}

/// Any scalar, as the text written in the file (`463.79`, `true`, `良好`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_string(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a single value (text or number), not a list or a mapping")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
}

/// A scalar that may be null (`key:` or `key: ~`).
struct MaybeScalar(Option<String>);

impl<'de> Deserialize<'de> for MaybeScalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<Scalar>::deserialize(d).map(|o| MaybeScalar(o.map(|s| s.0)))
    }
}

/// A leaf field: absent (`loc: None`), present but empty (`text: None`), or written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    pub loc: Option<Loc>,
    pub text: Option<String>,
}

impl Field {
    /// The written text, trimmed, when it is not empty.
    pub fn written(&self) -> Option<&str> {
        self.text.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<MaybeScalar>::deserialize(d)?;
        Ok(Field { loc: Some(loc_of(&spanned.referenced)), text: spanned.value.0 })
    }
}

/// A mapping block and where it starts (absent: `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Block<T> {
    pub loc: Option<Loc>,
    pub value: T,
}

impl<T: Default> Default for Block<T> {
    fn default() -> Self {
        Block { loc: None, value: T::default() }
    }
}

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for Block<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Option<T>>::deserialize(d)?;
        Ok(Block { loc: Some(loc_of(&spanned.referenced)), value: spanned.value.unwrap_or_default() })
    }
}

/// Just the `form` key, read first to choose the form's shape.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Probe {
    #[serde(default, alias = "表单")]
    pub form: Field,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// Read by [`Probe`]; kept here so `deny_unknown_fields` accepts it.
    #[serde(default, alias = "表单")]
    #[allow(dead_code)]
    pub form: Field,
    #[serde(default, alias = "年度")]
    pub year: Field,
    #[serde(default, alias = "填报单位", alias = "填报单位（盖章）")]
    pub unit: Field,
    #[serde(default, alias = "项目名称")]
    pub name: Field,
    #[serde(default, alias = "主管部门及代码", alias = "主管部门")]
    pub department: Field,
    #[serde(default, alias = "实施单位")]
    pub implementer: Field,
    #[serde(default, alias = "项目属性")]
    pub attribute: Field,
    #[serde(default, alias = "项目日期范围", alias = "项目期")]
    pub period: Field,
    #[serde(default, alias = "项目资金", alias = "项目资金（万元）")]
    pub funds: Block<Funds>,
    #[serde(default, alias = "年度总体目标")]
    pub goal: Field,
    #[serde(default, alias = "绩效指标", alias = "年度绩效指标")]
    pub indicators: Block<Level1Map>,
    #[serde(default, alias = "签署")]
    pub signoff: Block<Signoff>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funds {
    #[serde(default, alias = "年度资金总额")]
    pub total: Field,
    #[serde(default, alias = "财政拨款", alias = "其中：财政拨款")]
    pub fiscal: Field,
    #[serde(default, alias = "其他资金")]
    pub other: Field,
    #[serde(default, alias = "其他来源")]
    pub sources: Vec<Spanned<SourceEntry>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    #[serde(default, alias = "名称")]
    pub name: Field,
    #[serde(default, alias = "金额")]
    pub amount: Field,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    #[serde(default, alias = "填报人")]
    pub preparer: Field,
    #[serde(default, alias = "联系电话")]
    pub phone: Field,
    #[serde(default, alias = "单位负责人")]
    pub head: Field,
    #[serde(default, alias = "填报日期")]
    pub date: Field,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Read by [`Probe`]; kept here so `deny_unknown_fields` accepts it.
    #[serde(default, alias = "表单")]
    #[allow(dead_code)]
    pub form: Field,
    #[serde(default, alias = "年度")]
    pub year: Field,
    #[serde(default, alias = "填报单位", alias = "填报单位（盖章）")]
    pub unit: Field,
    #[serde(default, alias = "部门（单位）名称", alias = "部门名称", alias = "单位名称")]
    pub name: Field,
    #[serde(default, alias = "联系人")]
    pub contact: Field,
    #[serde(default, alias = "联系电话")]
    pub phone: Field,
    #[serde(default, alias = "部门职能依据", alias = "部门职能依据（三定方案批文号）")]
    pub basis: Field,
    #[serde(default, alias = "部门职能简述")]
    pub functions: Field,
    #[serde(default, alias = "近三年单位职能是否出现过重大变化")]
    pub functions_changed: Field,
    #[serde(default, alias = "部门是否为一级预算主管部门")]
    pub first_level_unit: Field,
    #[serde(default, alias = "所属部门领域")]
    pub field: Field,
    #[serde(default, alias = "直属部门包括")]
    pub subordinates: Field,
    #[serde(default, alias = "内设职能部门")]
    pub divisions: Field,
    #[serde(default, alias = "人员")]
    pub staff: Block<Staff>,
    #[serde(default, alias = "上年预算", alias = "上年预算（万元）")]
    pub last_year: Block<LastYear>,
    #[serde(default, alias = "当年预算", alias = "当年预算（万元）")]
    pub budget: Block<Budget>,
    #[serde(default, alias = "其他需要说明的事项")]
    pub remarks: Field,
    #[serde(default, alias = "职能分解")]
    pub decomposition: Block<Decomposition>,
    #[serde(default, alias = "年度主要任务")]
    pub tasks: Block<Vec<Spanned<Task>>>,
    #[serde(default, alias = "年度绩效指标", alias = "绩效指标")]
    pub indicators: Block<Level1Map>,
    #[serde(default, alias = "签署")]
    pub signoff: Block<Signoff>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    #[serde(default, alias = "编制控制数")]
    pub quota: Field,
    #[serde(default, alias = "在职人员总数")]
    pub total: Field,
    #[serde(default, alias = "行政编制人数")]
    pub administrative: Field,
    #[serde(default, alias = "事业编制人数")]
    pub institutional: Field,
    #[serde(default, alias = "编外人数")]
    pub extra: Field,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastYear {
    #[serde(default, alias = "批复数")]
    pub approved: Field,
    #[serde(default, alias = "调整数")]
    pub adjusted: Field,
    #[serde(default, alias = "实际支出数")]
    pub actual: Field,
    #[serde(default, alias = "执行率")]
    pub rate: Field,
    #[serde(default, alias = "年末结转结余数")]
    pub carryover: Field,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    #[serde(default, alias = "收入")]
    pub income: Block<Income>,
    #[serde(default, alias = "支出")]
    pub expense: Block<Expense>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Income {
    #[serde(default, alias = "收入合计")]
    pub total: Field,
    #[serde(default, alias = "上级财政拨款", alias = "其中：上级财政拨款")]
    pub superior: Field,
    #[serde(default, alias = "本级财政安排")]
    pub local: Field,
    #[serde(default, alias = "其他")]
    pub other: Field,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expense {
    #[serde(default, alias = "支出合计")]
    pub total: Field,
    #[serde(default, alias = "人员经费", alias = "其中：人员经费")]
    pub personnel: Field,
    #[serde(default, alias = "公用经费")]
    pub public: Field,
    #[serde(default, alias = "项目经费")]
    pub project: Field,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decomposition {
    #[serde(default, alias = "部门职能分解")]
    pub functions: Field,
    #[serde(default, alias = "部门中期目标")]
    pub midterm: Field,
    #[serde(default, alias = "部门年度绩效目标")]
    pub annual: Field,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    #[serde(default, alias = "任务名称")]
    pub name: Field,
    #[serde(default, alias = "工作内容")]
    pub content: Field,
    #[serde(default, alias = "对应年度绩效目标和内容")]
    pub goal: Field,
    #[serde(default, alias = "预算金额", alias = "预算金额（万元）")]
    pub amount: Field,
    #[serde(default, alias = "财政")]
    pub fiscal: Field,
    #[serde(default, alias = "其他")]
    pub other: Field,
}

/// A mapping whose keys are names the user chose (一级 or 二级 names), kept in written order
/// with each key's location.
#[derive(Debug, PartialEq)]
pub struct NamedMap<V> {
    pub entries: Vec<(Spanned<Scalar>, V)>,
}

impl<V> Default for NamedMap<V> {
    fn default() -> Self {
        NamedMap { entries: Vec::new() }
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for NamedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = NamedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of indicator group names")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<Scalar>>()? {
                    entries.push((key, map.next_value::<V>()?));
                }
                Ok(NamedMap { entries })
            }
        }
        d.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

/// 一级 name → its 二级 groups (null when left empty).
pub type Level1Map = NamedMap<Block<Level2Map>>;
/// 二级 name → its 三级 list (null when left empty).
pub type Level2Map = NamedMap<Block<Vec<Spanned<Indicator>>>>;

/// A 三级 indicator: shorthand `名称: 指标值`, a full mapping, or a bare name.
#[derive(Debug, Default, PartialEq)]
pub struct Indicator {
    pub name: Field,
    pub value: Field,
    pub op: Field,
    pub unit: Field,
    pub weight: Field,
    pub direction: Field,
    pub note: Field,
}

/// The keys of the full form, English and Chinese.
pub const INDICATOR_KEYS: &[&str] = &[
    "name", "三级指标", "名称", "value", "指标值", "op", "指标性质", "unit", "度量单位", "weight",
    "权重", "direction", "指标方向性", "note", "备注",
];

impl Indicator {
    fn slot(&mut self, key: &str) -> Option<&mut Field> {
        Some(match key {
            "name" | "三级指标" | "名称" => &mut self.name,
            "value" | "指标值" => &mut self.value,
            "op" | "指标性质" => &mut self.op,
            "unit" | "度量单位" => &mut self.unit,
            "weight" | "权重" => &mut self.weight,
            "direction" | "指标方向性" => &mut self.direction,
            "note" | "备注" => &mut self.note,
            _ => return None,
        })
    }
}

impl<'de> Deserialize<'de> for Indicator {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IndicatorVisitor)
    }
}

struct IndicatorVisitor;

impl<'de> Visitor<'de> for IndicatorVisitor {
    type Value = Indicator;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an indicator: `名称: 指标值`, or a mapping with name and value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Indicator, E> {
        Ok(Indicator { name: Field { loc: None, text: Some(v.to_string()) }, ..Indicator::default() })
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Indicator, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Indicator, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Indicator, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Indicator, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Indicator, E> {
        Ok(Indicator::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<Indicator, A::Error> {
        Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Indicator, A::Error> {
        let mut out = Indicator::default();
        let Some(first) = map.next_key::<Spanned<Scalar>>()? else {
            return Ok(out);
        };
        let first_loc = loc_of(&first.referenced);
        if out.slot(&first.value.0).is_none() {
            // Shorthand: the key is the 三级 name, the value its 指标值.
            out.name = Field { loc: Some(first_loc), text: Some(first.value.0) };
            out.value = map.next_value::<Field>()?;
            if let Some(extra) = map.next_key::<Spanned<Scalar>>()? {
                return Err(de::Error::custom(format!(
                    "an indicator written as `名称: 指标值` has one entry; `{}` starts a second one \
                     (write each indicator as its own list item `- 名称: 指标值`)",
                    extra.value.0
                )));
            }
            return Ok(out);
        }
        let mut key = first.value.0;
        loop {
            let value = map.next_value::<Field>()?;
            match out.slot(&key) {
                Some(slot) => *slot = value,
                None => return Err(de::Error::unknown_field(&key, INDICATOR_KEYS)),
            }
            match map.next_key::<Spanned<Scalar>>()? {
                Some(next) => key = next.value.0,
                None => break,
            }
        }
        Ok(out)
    }
}
