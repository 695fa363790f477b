//! `jixiao sample`: realistic declarations, generated deterministically, for benchmarks and tests.
//!
//! Every generated file is valid by construction: its sums balance, its rates are computed, its
//! indicators sit in the scheme with 5 to 60 三级 each form. The same seed gives the same files.

use std::fmt::Write as _;

use rust_decimal::Decimal;

/// A small deterministic generator (SplitMix64): no dependency, identical on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() as u64 - 1) as usize]
    }

    /// An amount in 万元 with 2 decimals, in `lo..=hi` 万元.
    fn amount(&mut self, lo: u64, hi: u64) -> Decimal {
        Decimal::new(self.range(lo * 100, hi * 100) as i64, 2)
    }
}

const PLACES: &[&str] = &[
    "柴桑区",
    "濂溪区",
    "浔阳区",
    "庐山市",
    "瑞昌市",
    "共青城市",
    "湖口县",
    "彭泽县",
    "都昌县",
    "永修县",
    "德安县",
    "武宁县",
    "修水县",
];
const AGENCIES: &[&str] = &[
    "行政审批局",
    "财政局",
    "教育体育局",
    "卫生健康委员会",
    "农业农村局",
    "自然资源局",
    "交通运输局",
    "文化广电新闻出版旅游局",
    "市场监督管理局",
    "应急管理局",
    "水利局",
    "民政局",
];
const TOPICS: &[&str] = &[
    "政务服务大厅运行",
    "新开办企业免费刻章",
    "乡村道路养护",
    "农村饮水安全巩固提升",
    "中小学校舍维修改造",
    "基层医疗卫生机构设备购置",
    "公共文化服务体系建设",
    "河湖长制工作经费",
    "城乡环境综合整治",
    "智慧城市平台运维",
    "困难群众救助",
    "高标准农田建设",
    "森林防火",
    "食品安全抽检",
];
const VERBS: &[&str] = &[
    "完成", "保障", "推进", "提升", "开展", "落实", "实施", "巩固",
];
const OBJECTS: &[&str] = &[
    "服务事项办理",
    "设备维护",
    "人员培训",
    "专项检查",
    "宣传活动",
    "项目验收",
    "群众回访",
    "资金拨付",
    "档案整理",
    "平台运行",
    "隐患排查",
    "应急演练",
];
const SENTENCES: &[&str] = &[
    "按照年度工作计划有序推进各项任务",
    "确保资金使用规范、安全、高效",
    "提升群众办事便利度和满意度",
    "建立健全绩效管理和监督机制",
    "加强部门协同，形成工作合力",
    "严格执行政府采购和财务管理制度",
    "持续优化营商环境，服务地方经济发展",
    "做好项目全过程跟踪管理",
];
const QUALITATIVE: &[&str] = &[
    "良好",
    "全年",
    "不定期",
    "逐步提升",
    "有所改善",
    "巩固提高",
    "符合标准",
    "及时",
];

/// What kind of form to generate; alternates by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Project,
    Department,
}

/// Generates declaration number `index` (0-based) of the series `seed`: its file name and text.
pub fn generate(seed: u64, index: usize) -> (String, String) {
    let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ index as u64);
    let kind = if index.is_multiple_of(2) {
        Kind::Project
    } else {
        Kind::Department
    };
    let text = match kind {
        Kind::Project => project(&mut rng),
        Kind::Department => department(&mut rng),
    };
    let name = format!(
        "sample-{:05}-{}.yaml",
        index + 1,
        if kind == Kind::Project {
            "project"
        } else {
            "department"
        }
    );
    (name, text)
}

/// A YAML double-quoted string (texts may start with characters YAML treats specially).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn paragraph(rng: &mut Rng, sentences: u64) -> String {
    let mut out = String::new();
    for i in 0..sentences {
        if i > 0 {
            out.push('，');
        }
        out.push_str(rng.pick(SENTENCES));
    }
    out.push('。');
    out
}

fn project(rng: &mut Rng) -> String {
    let unit = format!("{}{}", rng.pick(PLACES), rng.pick(AGENCIES));
    let topic = rng.pick(TOPICS);
    let fiscal = rng.amount(5, 3000);
    let other = if rng.range(0, 3) == 0 {
        rng.amount(0, 200)
    } else {
        Decimal::ZERO
    };
    let total = fiscal + other;
    let mut y = String::new();
    let _ = writeln!(
        y,
        "form: project\nyear: 2024\nunit: {}\nname: {}",
        q(&unit),
        q(&format!("{unit}2024年{topic}项目经费"))
    );
    let _ = writeln!(
        y,
        "department: {}\nimplementer: {}\nattribute: {}",
        q(&format!("{} {unit}", rng.range(100_000, 999_999))),
        q(&unit),
        q(if rng.range(0, 1) == 0 {
            "经常性项目"
        } else {
            "一次性项目"
        })
    );
    let _ = writeln!(
        y,
        "period: 2024.01-2024.12\nfunds:\n  total: {total}\n  fiscal: {fiscal}\n  other: {other}"
    );
    let sentences = rng.range(1, 12);
    let _ = writeln!(
        y,
        "goal: {}",
        q(&format!("{topic}：{}", paragraph(rng, sentences)))
    );
    indicators(rng, &mut y, total);
    let _ = writeln!(
        y,
        "signoff:\n  preparer: 张三\n  phone: \"0792-1234567\"\n  head: 李四\n  date: 2024-01-15"
    );
    y
}

fn department(rng: &mut Rng) -> String {
    let unit = format!("{}{}", rng.pick(PLACES), rng.pick(AGENCIES));
    let administrative = rng.range(3, 40);
    let institutional = rng.range(0, 60);
    let extra = rng.range(0, 10);
    let total_staff = administrative + institutional + extra;
    let quota = total_staff + rng.range(0, 20);
    let approved = rng.amount(100, 5000);
    let actual = rng.amount(50, 5000);
    let personnel = rng.amount(50, 2000);
    let public = rng.amount(10, 500);
    let task_count = rng.range(1, 5);
    let tasks: Vec<Decimal> = (0..task_count).map(|_| rng.amount(5, 1500)).collect();
    let project: Decimal = tasks.iter().sum();
    let expense = personnel + public + project;
    let superior = if rng.range(0, 2) == 0 {
        rng.amount(0, 100)
    } else {
        Decimal::ZERO
    };
    let local = expense - superior;
    let mut y = String::new();
    let _ = writeln!(
        y,
        "form: department\nyear: 2024\nunit: {}\nname: {}\ncontact: 王五\nphone: \"0792-7654321\"",
        q(&unit),
        q(&unit)
    );
    let _ = writeln!(
        y,
        "basis: {}",
        q(&format!("九办字【2020】{}号", rng.range(1, 99)))
    );
    let sentences = rng.range(2, 10);
    let _ = writeln!(y, "functions: {}", q(&paragraph(rng, sentences)));
    let _ = writeln!(
        y,
        "functions_changed: false\nfirst_level_unit: true\nfield: {}\nsubordinates: {}\ndivisions: {}",
        q(rng.pick(TOPICS)),
        q(&format!("{}服务中心", rng.pick(PLACES))),
        q("综合股、业务股、财务股")
    );
    let _ = writeln!(
        y,
        "staff:\n  quota: {quota}\n  total: {total_staff}\n  administrative: {administrative}\n  institutional: {institutional}\n  extra: {extra}"
    );
    let _ = writeln!(
        y,
        "last_year:\n  approved: {approved}\n  adjusted: {approved}\n  actual: {}\n  carryover: 0",
        actual.min(approved)
    );
    let _ = writeln!(
        y,
        "budget:\n  income:\n    total: {expense}\n    superior: {superior}\n    local: {local}\n    other: 0"
    );
    let _ = writeln!(
        y,
        "  expense:\n    total: {expense}\n    personnel: {personnel}\n    public: {public}\n    project: {project}"
    );
    let _ = writeln!(y, "remarks: 无\ntasks:");
    let _ = writeln!(
        y,
        "  - name: 人员及公用经费\n    content: 保障机关正常运转\n    goal: 保障在职人员工资福利及日常办公\n    amount: {}",
        personnel + public
    );
    for amount in &tasks {
        let topic = rng.pick(TOPICS);
        let sentences = rng.range(1, 4);
        let _ = writeln!(
            y,
            "  - name: {}\n    content: {}\n    goal: {}\n    amount: {amount}",
            q(topic),
            q(&paragraph(rng, sentences)),
            q(&format!("{}{}", rng.pick(VERBS), rng.pick(OBJECTS)))
        );
    }
    indicators(rng, &mut y, expense);
    y
}

/// 5 to 60 indicators over the scheme; cost values stay within `funds`.
fn indicators(rng: &mut Rng, y: &mut String, funds: Decimal) {
    let target = rng.range(5, 60) as usize;
    let groups: &[(&str, &[&str])] = &[
        (
            "产出指标",
            &["数量指标", "质量指标", "时效指标", "成本指标"],
        ),
        (
            "效益指标",
            &[
                "经济效益指标",
                "社会效益指标",
                "生态效益指标",
                "可持续影响指标",
            ],
        ),
        ("满意度指标", &["服务对象满意度指标"]),
    ];
    // One indicator each in 数量, 社会效益 and 满意度 (what the rules require), then the rest
    // spread at random; a 二级 that gets none is left out.
    let slots: usize = groups.iter().map(|(_, l2)| l2.len()).sum();
    let mut counts = vec![0usize; slots];
    for required in [0, 5, 8] {
        counts[required] = 1;
    }
    for _ in 3..target {
        counts[rng.range(0, slots as u64 - 1) as usize] += 1;
    }
    let _ = writeln!(y, "indicators:");
    let mut slot = 0;
    for (l1, l2s) in groups {
        let _ = writeln!(y, "  {l1}:");
        for l2 in *l2s {
            if counts[slot] == 0 {
                slot += 1;
                continue;
            }
            let _ = writeln!(y, "    {l2}:");
            for n in 0..counts[slot] {
                let name = format!("{}{}{}", rng.pick(VERBS), rng.pick(OBJECTS), n + 1);
                let value = match *l2 {
                    "成本指标" => {
                        let share = funds / Decimal::from(counts[slot] as u64 + 1);
                        format!("≤{}万元", share.round_dp(2))
                    }
                    "服务对象满意度指标" | "质量指标" => {
                        format!("≥{}%", rng.range(80, 100))
                    }
                    "数量指标" => format!(
                        "≥{}{}",
                        rng.range(1, 5000),
                        rng.pick(&["次", "家", "人", "个", "件"])
                    ),
                    "时效指标" => rng
                        .pick(&["全年", "及时", "≤30天", "≤5个工作日"])
                        .to_string(),
                    _ => rng.pick(QUALITATIVE).to_string(),
                };
                let _ = writeln!(y, "      - {}: {}", q(&name), q(&value));
            }
            slot += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::parse;

    #[test]
    fn same_seed_same_text_and_forms_alternate() {
        assert_eq!(generate(7, 3), generate(7, 3));
        assert_ne!(generate(7, 3).1, generate(8, 3).1);
        assert!(generate(1, 0).0.ends_with("project.yaml"));
        assert!(generate(1, 1).0.ends_with("department.yaml"));
    }

    #[test]
    fn generated_declarations_parse_without_diagnostics() {
        for i in 0..40 {
            let (name, text) = generate(1, i);
            let out = parse(&text);
            assert!(
                out.diagnostics.is_empty(),
                "{name}: {:?}\n{text}",
                out.diagnostics
            );
            let n = out.declaration.expect("parsed").indicators().count();
            assert!((5..=60).contains(&n), "{name}: {n} indicators");
        }
    }
}
