//! Declarations built in code for the layout properties (tests/layout_props.rs,
//! tests/catalogue.rs): located values and an indicator tree of given sizes; and the tiling
//! property both check on the Grids made from them.
#![allow(dead_code)]

use jixiao::declaration::scheme::{Level1, Level2, Resolved};
use jixiao::declaration::value::IndicatorValue;
use jixiao::declaration::{Entry, Indicator, Indicators, Level1Group, Level2Group, Loc, Located};
use jixiao::layout::Grid;
use proptest::prelude::*;
use rust_decimal::Decimal;

pub fn at<T>(value: T) -> Located<T> {
    Located::new(value, Loc::START)
}

pub fn text(t: Option<String>) -> Option<Located<String>> {
    t.map(at)
}

pub fn amount(cents: Option<u32>) -> Entry<Decimal> {
    cents.map_or(Entry::Blank, |c| {
        Entry::Given(at(Decimal::new(i64::from(c), 2)))
    })
}

/// Indicators written in reverse scheme order, so the layout must sort them;
/// every third has a 指标解释.
pub fn indicators(counts: &[usize], names: &[String]) -> Indicators {
    let mut groups: Vec<Level1Group> = Vec::new();
    let mut k = 0;
    for (i, l2) in Level2::ALL.iter().enumerate().rev() {
        if counts[i] == 0 {
            continue;
        }
        let items = (0..counts[i])
            .map(|_| {
                let name = names[k % names.len()].clone();
                let value = ["≥95%", "", "良好", "≤903.78万元", "=4枚"][k % 5];
                let explanation = (k % 3 == 0).then(|| at(format!("解释{k}")));
                k += 1;
                Indicator {
                    loc: Loc::START,
                    name: at(name),
                    value: at(IndicatorValue::parse(value)),
                    weight: Entry::Blank,
                    direction: None,
                    note: None,
                    explanation,
                    standard: None,
                }
            })
            .collect();
        let l2_group = Level2Group {
            name: at(l2.name().to_string()),
            resolved: Some(Resolved::Canonical(*l2)),
            items,
        };
        let l1 = l2.parent();
        match groups.iter_mut().find(|g| g.level1 == Some(l1)) {
            Some(g) => g.groups.push(l2_group),
            None => groups.push(Level1Group {
                name: at(l1.name().to_string()),
                level1: Some(l1),
                groups: vec![l2_group],
                texts: Vec::new(),
            }),
        }
    }
    Indicators {
        loc: Loc::START,
        groups,
    }
}

/// `ind` with `free[i]` free-text indicators (`指标1：…`) under the i-th 一级 of the scheme,
/// beside its 二级 groups when it has some (a workbook can hold both; YAML cannot).
pub fn with_free_text(mut ind: Indicators, free: &[usize], names: &[String]) -> Indicators {
    for (i, l1) in Level1::ALL.iter().enumerate() {
        let n = free.get(i).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        let texts: Vec<Indicator> = (0..n)
            .map(|k| Indicator {
                loc: Loc::START,
                name: at(format!("指标{}：{}", k + 1, names[k % names.len()])),
                value: at(IndicatorValue::parse("")),
                weight: Entry::Blank,
                direction: None,
                note: None,
                explanation: None,
                standard: None,
            })
            .collect();
        match ind.groups.iter_mut().find(|g| g.level1 == Some(*l1)) {
            Some(g) => g.texts.extend(texts),
            None => ind.groups.push(Level1Group {
                name: at(l1.name().to_string()),
                level1: Some(*l1),
                groups: Vec::new(),
                texts,
            }),
        }
    }
    ind
}

/// Every slot of the Grid covered by exactly one cell, every span inside the grid.
pub fn assert_tiles(g: &Grid) -> Result<(), TestCaseError> {
    let cols = g.columns_mm.len();
    let mut owner = vec![vec![usize::MAX; cols]; g.rows];
    for (i, c) in g.cells.iter().enumerate() {
        prop_assert!(c.rowspan >= 1 && c.colspan >= 1, "empty span {c:?}");
        prop_assert!(
            c.last_row() < g.rows && c.last_col() < cols,
            "cell outside the grid: {c:?}"
        );
        for row in owner.iter_mut().take(c.last_row() + 1).skip(c.row) {
            for slot in row.iter_mut().take(c.last_col() + 1).skip(c.col) {
                prop_assert!(*slot == usize::MAX, "cells {} and {i} overlap", *slot);
                *slot = i;
            }
        }
    }
    for (r, row) in owner.iter().enumerate() {
        for (k, slot) in row.iter().enumerate() {
            prop_assert!(*slot != usize::MAX, "slot ({r},{k}) is not covered");
        }
    }
    Ok(())
}
