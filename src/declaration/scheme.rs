//! The indicator framework (spec `forms.md` §3): which 一级 and 二级 names exist, under which
//! 一级 each 二级 belongs, the legacy names accepted with a warning, and the canonical print order.
//!
//! Both schemes are accepted: the old one (财预〔2015〕88号, where 成本指标 is a 二级 of 产出指标)
//! and the 2021 one (财预〔2021〕101号, where 成本指标 is a 一级).

use serde::Serialize;

/// 一级指标, in canonical print order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level1 {
    Output,
    Cost,
    Benefit,
    Satisfaction,
}

/// 二级指标, in canonical print order (grouped by their 一级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level2 {
    Quantity,
    Quality,
    Timeliness,
    OutputCost,
    EconomicCost,
    SocialCost,
    EcologicalCost,
    Economic,
    Social,
    Ecological,
    Sustainable,
    ServiceSatisfaction,
}

impl Level1 {
    pub const ALL: [Level1; 4] = [
        Level1::Output,
        Level1::Cost,
        Level1::Benefit,
        Level1::Satisfaction,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Level1::Output => "产出指标",
            Level1::Cost => "成本指标",
            Level1::Benefit => "效益指标",
            Level1::Satisfaction => "满意度指标",
        }
    }

    pub fn from_name(name: &str) -> Option<Level1> {
        Level1::ALL.into_iter().find(|l| l.name() == name.trim())
    }

    /// The 二级 names that belong here.
    pub fn children(self) -> impl Iterator<Item = Level2> {
        Level2::ALL
            .into_iter()
            .filter(move |l2| l2.parent() == self)
    }
}

impl Level2 {
    pub const ALL: [Level2; 12] = [
        Level2::Quantity,
        Level2::Quality,
        Level2::Timeliness,
        Level2::OutputCost,
        Level2::EconomicCost,
        Level2::SocialCost,
        Level2::EcologicalCost,
        Level2::Economic,
        Level2::Social,
        Level2::Ecological,
        Level2::Sustainable,
        Level2::ServiceSatisfaction,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Level2::Quantity => "数量指标",
            Level2::Quality => "质量指标",
            Level2::Timeliness => "时效指标",
            Level2::OutputCost => "成本指标",
            Level2::EconomicCost => "经济成本指标",
            Level2::SocialCost => "社会成本指标",
            Level2::EcologicalCost => "生态环境成本指标",
            Level2::Economic => "经济效益指标",
            Level2::Social => "社会效益指标",
            Level2::Ecological => "生态效益指标",
            Level2::Sustainable => "可持续影响指标",
            Level2::ServiceSatisfaction => "服务对象满意度指标",
        }
    }

    pub fn parent(self) -> Level1 {
        match self {
            Level2::Quantity | Level2::Quality | Level2::Timeliness | Level2::OutputCost => {
                Level1::Output
            }
            Level2::EconomicCost | Level2::SocialCost | Level2::EcologicalCost => Level1::Cost,
            Level2::Economic | Level2::Social | Level2::Ecological | Level2::Sustainable => {
                Level1::Benefit
            }
            Level2::ServiceSatisfaction => Level1::Satisfaction,
        }
    }

    /// Whether the values of this group are costs (summed against the funds, `indicator.cost`).
    pub fn is_cost(self) -> bool {
        matches!(
            self,
            Level2::OutputCost | Level2::EconomicCost | Level2::SocialCost | Level2::EcologicalCost
        )
    }

    /// Whether the values of this group are satisfaction rates.
    pub fn is_satisfaction(self) -> bool {
        self == Level2::ServiceSatisfaction
    }
}

/// What a 二级 name written under a known 一级 turns out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// The canonical name, in its place.
    Canonical(Level2),
    /// A legacy name seen in real forms, normalised (`indicator.alias` warning). The 二级 may
    /// move to another 一级 (社会公众或服务对象满意度指标 under 效益指标 → 满意度指标).
    Alias(Level2),
    /// A valid 二级 written under the wrong 一级 (`indicator.level2` error).
    Misplaced(Level2),
    /// Not a 二级 name at all (`indicator.level2` error, with the nearest name).
    Unknown,
}

/// Legacy 二级 names: (written, 一级 it may be written under (None: any), canonical).
const ALIASES: &[(&str, Option<Level1>, Level2)] = &[
    ("环境效益指标", Some(Level1::Benefit), Level2::Ecological),
    (
        "满意度指标",
        Some(Level1::Satisfaction),
        Level2::ServiceSatisfaction,
    ),
    (
        "社会公众或服务对象满意度指标",
        None,
        Level2::ServiceSatisfaction,
    ),
    // Older forms (财预〔2015〕88号) put it under 效益指标.
    (
        "服务对象满意度指标",
        Some(Level1::Benefit),
        Level2::ServiceSatisfaction,
    ),
    (
        "服务对象满意度",
        Some(Level1::Satisfaction),
        Level2::ServiceSatisfaction,
    ),
    ("经济成本指标", Some(Level1::Output), Level2::OutputCost),
];

/// Resolves a 二级 name written under `level1`.
pub fn resolve_level2(level1: Level1, written: &str) -> Resolved {
    let written = written.trim();
    if let Some(l2) = Level2::ALL.into_iter().find(|l2| l2.name() == written) {
        if l2.parent() == level1 {
            return Resolved::Canonical(l2);
        }
        // An alias may legitimately sit under another 一级 (经济成本指标 under 产出指标).
        if let Some(alias) = find_alias(level1, written) {
            return Resolved::Alias(alias);
        }
        return Resolved::Misplaced(l2);
    }
    match find_alias(level1, written) {
        Some(l2) => Resolved::Alias(l2),
        None => Resolved::Unknown,
    }
}

fn find_alias(level1: Level1, written: &str) -> Option<Level2> {
    ALIASES
        .iter()
        .find(|(name, under, _)| *name == written && under.is_none_or(|u| u == level1))
        .map(|(_, _, l2)| *l2)
}

/// The known name nearest to `written` among `candidates` (by edit distance over characters),
/// for "did you mean" hints. None when nothing is reasonably close.
pub fn nearest<'a>(
    written: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = written.chars().count().max(2);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(written, c), c))
        .filter(|(d, _)| *d < limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// The nearest 一级 name.
pub fn nearest_level1(written: &str) -> Option<&'static str> {
    nearest(written, Level1::ALL.iter().map(|l| l.name()))
}

/// The nearest 二级 name that belongs under `level1`.
pub fn nearest_level2(level1: Level1, written: &str) -> Option<&'static str> {
    nearest(written, level1.children().map(|l| l.name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_resolve_in_place() {
        assert_eq!(Level1::from_name("产出指标"), Some(Level1::Output));
        assert_eq!(
            resolve_level2(Level1::Output, "数量指标"),
            Resolved::Canonical(Level2::Quantity)
        );
        assert_eq!(
            resolve_level2(Level1::Cost, "经济成本指标"),
            Resolved::Canonical(Level2::EconomicCost)
        );
    }

    #[test]
    fn legacy_names_are_aliases() {
        assert_eq!(
            resolve_level2(Level1::Benefit, "环境效益指标"),
            Resolved::Alias(Level2::Ecological)
        );
        assert_eq!(
            resolve_level2(Level1::Satisfaction, "满意度指标"),
            Resolved::Alias(Level2::ServiceSatisfaction)
        );
        assert_eq!(
            resolve_level2(Level1::Benefit, "社会公众或服务对象满意度指标"),
            Resolved::Alias(Level2::ServiceSatisfaction)
        );
        assert_eq!(
            resolve_level2(Level1::Output, "经济成本指标"),
            Resolved::Alias(Level2::OutputCost)
        );
    }

    #[test]
    fn misplaced_and_unknown() {
        assert_eq!(
            resolve_level2(Level1::Benefit, "数量指标"),
            Resolved::Misplaced(Level2::Quantity)
        );
        assert_eq!(
            resolve_level2(Level1::Output, "数量目标"),
            Resolved::Unknown
        );
        assert_eq!(nearest_level2(Level1::Output, "数量目标"), Some("数量指标"));
        assert_eq!(nearest_level1("产出目标"), Some("产出指标"));
        assert_eq!(nearest_level1("完全无关的名字呀"), None);
    }

    #[test]
    fn canonical_order_is_the_enum_order() {
        let names: Vec<_> = Level1::Output.children().map(|l| l.name()).collect();
        assert_eq!(names, ["数量指标", "质量指标", "时效指标", "成本指标"]);
        assert!(Level1::Output < Level1::Benefit && Level1::Benefit < Level1::Satisfaction);
    }
}
