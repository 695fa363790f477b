//! The one table of declaration keys: every key of both forms, the form labels it is also
//! accepted under, what it holds, and what the form expects there (in Chinese).
//!
//! The JSON Schema ([`super::schema`]) and the key reference in `docs/declarations.md` are both
//! generated from this table, so they cannot disagree. The table itself must follow the serde
//! shape in `src/declaration/raw.rs`: `tests/authoring.rs` parses a document for every key and
//! every alias here, and checks that every key the parser lists as accepted is in the table.

/// What a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// `form`: which form the file fills.
    Form,
    /// A four-digit year (`2023`, also `2023年`).
    Year,
    /// Any text; numbers and booleans are read as their text.
    Text,
    /// An amount in 万元: a non-negative decimal, at most 6 places, number or numeric string.
    Amount,
    /// A percentage: `97.5%`, `97.5` or a number.
    Percent,
    /// A whole number of people.
    Count,
    /// Yes or no (`true`/`false`, 是/否, `■是 □否`/`□是 ■否`), printed as check boxes.
    Bool,
    /// 指标性质: a comparator (≥ ≤ = > <, in any accepted spelling) or 定性.
    Comparator,
    /// 金额单位: one of [`AMOUNT_UNITS`].
    Unit,
    /// Decimal places amounts print with: a whole number from 0 to 4.
    Places,
    /// A mapping of further keys.
    Block(&'static [Key]),
    /// A list of mappings, each with these keys.
    List(&'static [Key]),
    /// 绩效指标: 一级 name → 二级 name → list of 三级 (shorthand `名称: 指标值` or [`INDICATOR`]).
    Indicators,
    /// A mapping whose keys are names the user writes (a self-evaluation's `results`, by
    /// indicator name), each holding a mapping of these keys.
    Map(&'static [Key]),
}

impl Ty {
    /// How the type is named in the documentation.
    pub fn doc_name(self) -> &'static str {
        match self {
            Ty::Form => "表单类型",
            Ty::Year => "年份",
            Ty::Text => "文字",
            Ty::Amount => "金额（万元）",
            Ty::Percent => "百分比",
            Ty::Count => "人数（整数）",
            Ty::Bool => "是/否",
            Ty::Comparator => "比较符或“定性”",
            Ty::Unit => "万元 或 元",
            Ty::Places => "小数位数（0–4）",
            Ty::Block(_) => "映射",
            Ty::List(_) => "列表",
            Ty::Indicators => "指标树",
            Ty::Map(_) => "以名称为键的映射",
        }
    }
}

/// One key of a declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The English key of the contract (`declarations.md`), never renamed.
    pub key: &'static str,
    /// The labels printed on the form, accepted in place of the key (serde aliases in `raw.rs`).
    pub aliases: &'static [&'static str],
    /// What the value is.
    pub ty: Ty,
    /// What the form expects here, in Chinese (shown by editors on hover and completion).
    pub description: &'static str,
    /// The form cannot be printed without it (`field.required`).
    pub required: bool,
}

impl Key {
    /// The key and its aliases, key first.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once(self.key).chain(self.aliases.iter().copied())
    }
}

const fn key(
    key: &'static str,
    aliases: &'static [&'static str],
    ty: Ty,
    description: &'static str,
) -> Key {
    Key {
        key,
        aliases,
        ty,
        description,
        required: false,
    }
}

const fn required(
    key: &'static str,
    aliases: &'static [&'static str],
    ty: Ty,
    description: &'static str,
) -> Key {
    Key {
        key,
        aliases,
        ty,
        description,
        required: true,
    }
}

/// The values `form` accepts for the project form (the parser's own list, `parse.rs`).
pub const PROJECT_FORM_NAMES: &[&str] = &["project", "项目", "项目支出", "项目支出绩效目标申报表"];
/// The values `form` accepts for the department form.
pub const DEPARTMENT_FORM_NAMES: &[&str] = &[
    "department",
    "部门",
    "部门整体支出",
    "部门整体支出绩效目标设置申报表",
];

/// The spellings of yes and no the parser accepts for a [`Ty::Bool`] written as text.
pub const BOOL_WORDS: &[&str] = &[
    "true",
    "True",
    "TRUE",
    "yes",
    "是",
    "■是 □否",
    "■是□否",
    "false",
    "False",
    "FALSE",
    "no",
    "否",
    "□是 ■否",
    "□是■否",
];

/// The `form` key, the same in both forms.
pub const FORM: Key = required(
    "form",
    &["表单"],
    Ty::Form,
    "表单类型：project 为《项目支出绩效目标申报表》，department 为《部门整体支出绩效目标设置申报表》",
);
const YEAR: Key = required(
    "year",
    &["年度"],
    Ty::Year,
    "年度：四位年份，如 2024；表头印作“（2024年度）”",
);
const UNIT: Key = key(
    "unit",
    &["填报单位", "填报单位（盖章）"],
    Ty::Text,
    "填报单位（盖章）：印在表格上方左侧的单位名称，可留空",
);
const SIGNOFF_KEY: Key = key(
    "signoff",
    &["签署"],
    Ty::Block(SIGNOFF),
    "表格下方的签署行（填报人、联系电话、单位负责人、填报日期），可整段省略",
);

/// The spellings `amount_unit` accepts (the parser's own list, `AmountUnit::parse`).
pub const AMOUNT_UNITS: &[&str] = &["万元", "元", "万", "wan", "yuan"];

/// `amount_unit`: the unit every amount of the declaration is written in.
const AMOUNT_UNIT: Key = key(
    "amount_unit",
    &["金额单位"],
    Ty::Unit,
    "金额单位：万元（默认）或 元；本文件的所有金额都按这个单位读。版式按自己的单位印出（元 = 万元 × 10000，精确换算），表上方的“金额单位”与之一致",
);
/// `precision`: decimal places amounts print with.
const PRECISION: Key = key(
    "precision",
    &["金额小数位数", "小数位数"],
    Ty::Places,
    "金额打印的小数位数（0–4，默认取版式的，一般为 2）；有的财政局公布的金额保留 4 位小数，如 968.1918",
);

const LAYOUT_KEY: Key = key(
    "layout",
    &["版式"],
    Ty::Text,
    "版式：内置版式的名称（如 chaisang-2023，默认）或版式定义文件的路径（相对于本文件，如 ./layouts/shaanxi-project.yaml）；见 jixiao layouts",
);

const P_NAME: Key = required(
    "name",
    &["项目名称"],
    Ty::Text,
    "项目名称：与预算系统中的项目名称一致",
);
const P_DEPARTMENT: Key = key(
    "department",
    &["主管部门及代码", "主管部门"],
    Ty::Text,
    "主管部门及代码：代码在前，如 311001 区行政审批局",
);
const P_IMPLEMENTER: Key = key(
    "implementer",
    &["实施单位"],
    Ty::Text,
    "实施单位：具体实施项目的单位",
);
const P_ATTRIBUTE: Key = key(
    "attribute",
    &["项目属性"],
    Ty::Text,
    "项目属性：如 新增项目、延续项目；可留空",
);
const P_PERIOD: Key = key(
    "period",
    &["项目日期范围", "项目期"],
    Ty::Text,
    "项目日期范围（项目期）：如 2024.01-2024.12",
);
const P_FUNDS: Key = required(
    "funds",
    &["项目资金", "项目资金（万元）"],
    Ty::Block(FUNDS),
    "项目资金（万元）：年度资金总额及其来源；年度资金总额 = 财政拨款 + 其他资金",
);
const P_GOAL: Key = required(
    "goal",
    &["年度总体目标", "年度目标"],
    Ty::Text,
    "年度总体目标：一段话写清做什么、做多少、花多少钱；分条写作“目标1：…”换行“目标2：…”",
);
const P_INDICATORS: Key = required(
    "indicators",
    &["绩效指标", "年度绩效指标"],
    Ty::Indicators,
    "绩效指标：一级指标 → 二级指标 → 三级指标列表；每个三级指标写作 `- 名称: 指标值`（如 `- 新开办企业家数: ≥7500家`）；也可以不分二级，在一级指标下直接列出按文字写的指标（`- 指标1：…`）",
);

/// The keys of a project declaration (项目支出绩效目标申报表).
pub const PROJECT: &[Key] = &[
    FORM,
    YEAR,
    UNIT,
    P_NAME,
    P_DEPARTMENT,
    P_IMPLEMENTER,
    P_ATTRIBUTE,
    P_PERIOD,
    P_FUNDS,
    P_GOAL,
    P_INDICATORS,
    key(
        "midterm_funds",
        &["中期资金", "中期资金（万元）"],
        Ty::Block(MIDTERM_FUNDS),
        "中期资金（财预〔2015〕88号 附1 的中期一侧）：中期资金总额 = 财政拨款 + 其他资金",
    ),
    key(
        "midterm_goal",
        &["中期目标"],
        Ty::Text,
        "中期目标（项目期内的总体目标）；分条写作“目标1：…”换行“目标2：…”",
    ),
    key(
        "midterm_indicators",
        &["中期绩效指标", "中期指标"],
        Ty::Indicators,
        "中期绩效指标：写法同年度绩效指标，印在 mof-2015 版式指标表的中期一侧",
    ),
    key(
        "department_code",
        &["主管部门编码"],
        Ty::Text,
        "主管部门编码（与主管部门分开印的版式用），如 311001",
    ),
    key(
        "costs",
        &["成本测算", "成本构成表"],
        Ty::List(COST),
        "成本测算（湖北等项目表）：每项写成本构成、金额、测算依据、前两年实际执行数；金额之和应等于年度资金总额",
    ),
    key(
        "projects",
        &["更多项目", "其他项目"],
        Ty::List(PROJECT_ITEM),
        "同一张表上的更多项目（sichuan-2023 等一表多项目的版式）：每项写法同本文件的项目（名称、资金、目标、指标），年度、填报单位、金额单位取本文件的；每项各自核对",
    ),
    SIGNOFF_KEY,
    AMOUNT_UNIT,
    PRECISION,
    LAYOUT_KEY,
];

/// One further project of `projects`: a project's own keys (the year, unit of amounts and
/// layout are the file's).
pub const PROJECT_ITEM: &[Key] = &[
    UNIT,
    P_NAME,
    P_DEPARTMENT,
    P_IMPLEMENTER,
    P_ATTRIBUTE,
    P_PERIOD,
    P_FUNDS,
    P_GOAL,
    P_INDICATORS,
];

/// One row of 成本测算.
pub const COST: &[Key] = &[
    key("item", &["成本构成"], Ty::Text, "成本构成，如 设备购置费"),
    key("amount", &["金额"], Ty::Amount, "金额（万元）"),
    key(
        "basis",
        &["测算依据"],
        Ty::Text,
        "测算依据，如 120台×0.5万元",
    ),
    key(
        "prior",
        &["前两年实际执行数"],
        Ty::Amount,
        "前两年实际执行数（万元）",
    ),
];

/// 中期资金.
pub const MIDTERM_FUNDS: &[Key] = &[
    key(
        "total",
        &["中期资金总额", "资金总额"],
        Ty::Amount,
        "中期资金总额",
    ),
    key(
        "fiscal",
        &["财政拨款", "其中：财政拨款"],
        Ty::Amount,
        "其中：财政拨款",
    ),
    key("other", &["其他资金"], Ty::Amount, "其他资金"),
];

/// 项目资金（万元）.
pub const FUNDS: &[Key] = &[
    required(
        "total",
        &["年度资金总额"],
        Ty::Amount,
        "年度资金总额（万元）：必填，数字，如 150 或 1203.78",
    ),
    key(
        "fiscal",
        &["财政拨款", "其中：财政拨款"],
        Ty::Amount,
        "其中：财政拨款（万元）",
    ),
    key(
        "other",
        &["其他资金"],
        Ty::Amount,
        "其他资金（万元）；没有则写 0 或留空",
    ),
    key(
        "sources",
        &["其他来源"],
        Ty::List(SOURCE),
        "其他资金来源（可选扩展）：每项写名称和金额，计入年度资金总额的核对",
    ),
];

/// One further source of project funds.
pub const SOURCE: &[Key] = &[
    key("name", &["名称"], Ty::Text, "资金来源名称，如 上级补助"),
    key("amount", &["金额"], Ty::Amount, "该来源的金额（万元）"),
];

/// The sign-off line under the table.
pub const SIGNOFF: &[Key] = &[
    key("preparer", &["填报人"], Ty::Text, "填报人姓名"),
    key("phone", &["联系电话"], Ty::Text, "联系电话"),
    key("head", &["单位负责人"], Ty::Text, "单位负责人姓名"),
    key(
        "date",
        &["填报日期"],
        Ty::Text,
        "填报日期，按原样印出，如 2024-01-10",
    ),
    key(
        "project_head",
        &["项目负责人"],
        Ty::Text,
        "项目负责人姓名（有的版式印在表内）",
    ),
    key(
        "liaison",
        &["绩效管理联络员"],
        Ty::Text,
        "绩效管理联络员姓名",
    ),
];

/// The keys of a department declaration (部门整体支出绩效目标设置申报表).
pub const DEPARTMENT: &[Key] = &[
    FORM,
    YEAR,
    UNIT,
    required(
        "name",
        &["部门（单位）名称", "部门名称", "单位名称"],
        Ty::Text,
        "部门（单位）名称",
    ),
    key(
        "budget_code",
        &["部门预算编码", "预算编码"],
        Ty::Text,
        "部门预算编码，如 301001",
    ),
    key("contact", &["联系人"], Ty::Text, "联系人姓名"),
    key("phone", &["联系电话"], Ty::Text, "联系电话"),
    key(
        "basis",
        &["部门职能依据", "部门职能依据（三定方案批文号）"],
        Ty::Text,
        "部门职能依据（三定方案批文号），如 柴办字【2020】21号",
    ),
    key(
        "functions",
        &["部门职能简述"],
        Ty::Text,
        "部门职能简述：按三定方案概括部门的主要职能",
    ),
    key(
        "functions_changed",
        &["近三年单位职能是否出现过重大变化"],
        Ty::Bool,
        "近三年单位职能是否出现过重大变化：true（■是 □否）或 false（□是 ■否）",
    ),
    key(
        "first_level_unit",
        &["部门是否为一级预算主管部门"],
        Ty::Bool,
        "部门是否为一级预算主管部门：true（■是 □否）或 false（□是 ■否）",
    ),
    key(
        "field",
        &["所属部门领域"],
        Ty::Text,
        "所属部门领域，如 行政事项审批",
    ),
    key(
        "subordinates",
        &["直属部门包括"],
        Ty::Text,
        "直属部门包括：直属单位名称，多个用顿号隔开",
    ),
    key(
        "divisions",
        &["内设职能部门"],
        Ty::Text,
        "内设职能部门：内设股室名称，多个用顿号隔开",
    ),
    key(
        "staff",
        &["人员"],
        Ty::Block(STAFF),
        "人员情况：编制控制数与在职人员；在职人员总数 = 行政 + 事业 + 编外",
    ),
    key(
        "last_year",
        &["上年预算", "上年预算（万元）"],
        Ty::Block(LAST_YEAR),
        "上年预算（万元）：批复数、调整数、实际支出数、执行率、年末结转结余数",
    ),
    key(
        "budget",
        &["当年预算", "当年预算（万元）"],
        Ty::Block(BUDGET),
        "当年预算（万元）：收入与支出；收入合计、支出合计各等于其组成部分之和",
    ),
    key(
        "remarks",
        &["其他需要说明的事项"],
        Ty::Text,
        "其他需要说明的事项；没有写“无”",
    ),
    key(
        "goal",
        &["年度总体目标", "整体绩效目标", "部门整体绩效目标"],
        Ty::Text,
        "年度总体目标（整体绩效目标）：分条写作“目标1：…”换行“目标2：…”",
    ),
    key(
        "history",
        &["近两年收支金额", "近两年收支"],
        Ty::List(PRIOR_YEAR),
        "近两年收支金额（万元）：每项一年，写年度和收入（财政拨款、其他资金、收入合计）、支出（基本支出、项目支出、支出合计）；各自的合计同样核对",
    ),
    key(
        "duties",
        &["年度履职目标"],
        Ty::List(DUTY),
        "年度履职目标：每项写部门职能、年度目标任务、支出项目名称、预算金额（万元）；预算金额之和应等于支出合计",
    ),
    key(
        "decomposition",
        &["职能分解"],
        Ty::Block(DECOMPOSITION),
        "部门职能分解、部门中期目标、部门年度绩效目标：可选，写了就在表头下印一行内容",
    ),
    key(
        "tasks",
        &["年度主要任务"],
        Ty::List(TASK),
        "年度主要任务：每项写任务名称、工作内容、对应年度绩效目标和内容、预算金额（万元）；金额之和应等于支出合计",
    ),
    required(
        "indicators",
        &["年度绩效指标", "绩效指标"],
        Ty::Indicators,
        "年度绩效指标：一级指标 → 二级指标 → 三级指标列表；每个三级指标写作 `- 名称: 指标值`（如 `- 组织学习教育次数: ≥12次`）；也可以不分二级，在一级指标下直接列出按文字写的指标（`- 指标1：…`）",
    ),
    SIGNOFF_KEY,
    AMOUNT_UNIT,
    PRECISION,
    LAYOUT_KEY,
];

/// One year of 近两年收支金额.
pub const PRIOR_YEAR: &[Key] = &[
    key("year", &["年度"], Ty::Year, "年度，如 2023"),
    key(
        "income",
        &["收入", "收入构成"],
        Ty::Block(INCOME),
        "这一年的收入（万元）",
    ),
    key(
        "expense",
        &["支出", "支出构成"],
        Ty::Block(EXPENSE),
        "这一年的支出（万元）",
    ),
];

/// One 年度履职目标.
pub const DUTY: &[Key] = &[
    key("function", &["部门职能"], Ty::Text, "部门职能"),
    key("target", &["年度目标任务"], Ty::Text, "年度目标任务"),
    key("project", &["支出项目名称"], Ty::Text, "支出项目名称"),
    key(
        "amount",
        &["预算金额", "预算金额（万元）"],
        Ty::Amount,
        "预算金额",
    ),
];

/// Head counts.
pub const STAFF: &[Key] = &[
    key("quota", &["编制控制数"], Ty::Count, "编制控制数（人）"),
    key(
        "total",
        &["在职人员总数"],
        Ty::Count,
        "在职人员总数（人）= 行政编制 + 事业编制 + 编外",
    ),
    key(
        "administrative",
        &["行政编制人数"],
        Ty::Count,
        "其中：行政编制人数",
    ),
    key(
        "institutional",
        &["事业编制人数"],
        Ty::Count,
        "事业编制人数",
    ),
    key("extra", &["编外人数"], Ty::Count, "编外人数"),
];

/// 上年预算（万元）.
pub const LAST_YEAR: &[Key] = &[
    key(
        "approved",
        &["批复数"],
        Ty::Amount,
        "上年预算批复数（万元）",
    ),
    key(
        "adjusted",
        &["调整数"],
        Ty::Amount,
        "上年预算调整数（万元）",
    ),
    key(
        "actual",
        &["实际支出数"],
        Ty::Amount,
        "上年实际支出数（万元）",
    ),
    key(
        "rate",
        &["执行率"],
        Ty::Percent,
        "执行率，如 97.25%；应等于 实际支出数 ÷ 批复数；留空则自动计算后印出",
    ),
    key(
        "carryover",
        &["年末结转结余数"],
        Ty::Amount,
        "年末结转结余数（万元）",
    ),
];

/// 当年预算（万元）.
pub const BUDGET: &[Key] = &[
    key(
        "income",
        &["收入", "按收入性质分", "收入构成"],
        Ty::Block(INCOME),
        "当年收入（万元）：收入合计 = 上级财政拨款 + 本级财政安排 + 其他；或按收入性质：公共财政拨款 + 纳入预算管理的非税收入拨款 + 政府性基金拨款 + 纳入专户管理的非税收入拨款 + 其他资金；或 财政拨款 + 其他资金",
    ),
    key(
        "expense",
        &["支出", "按支出性质分", "支出构成"],
        Ty::Block(EXPENSE),
        "当年支出（万元）：支出合计 = 人员经费 + 公用经费 + 项目经费；或 基本支出 + 项目支出 + 其他支出（基本支出 = 人员经费 + 公用经费）",
    ),
];

/// 当年收入.
pub const INCOME: &[Key] = &[
    key(
        "total",
        &["收入合计", "资金总额"],
        Ty::Amount,
        "收入合计（资金总额，万元）",
    ),
    key(
        "superior",
        &["上级财政拨款", "其中：上级财政拨款"],
        Ty::Amount,
        "其中：上级财政拨款（万元）",
    ),
    key(
        "local",
        &["本级财政安排"],
        Ty::Amount,
        "本级财政安排（万元）",
    ),
    key(
        "general",
        &["公共财政拨款", "一般公共预算拨款"],
        Ty::Amount,
        "按收入性质：公共财政拨款（万元）",
    ),
    key(
        "nontax",
        &["纳入预算管理的非税收入拨款"],
        Ty::Amount,
        "按收入性质：纳入预算管理的非税收入拨款（万元）",
    ),
    key(
        "fund",
        &["政府性基金拨款"],
        Ty::Amount,
        "按收入性质：政府性基金拨款（万元）",
    ),
    key(
        "special_account",
        &["纳入专户管理的非税收入拨款"],
        Ty::Amount,
        "按收入性质：纳入专户管理的非税收入拨款（万元）",
    ),
    key(
        "fiscal",
        &["财政拨款"],
        Ty::Amount,
        "财政拨款（万元）：收入合计 = 财政拨款 + 其他资金",
    ),
    key(
        "other",
        &["其他", "其他资金"],
        Ty::Amount,
        "其他收入（其他资金，万元）",
    ),
];

/// 当年支出.
pub const EXPENSE: &[Key] = &[
    key("total", &["支出合计"], Ty::Amount, "支出合计（万元）"),
    key(
        "personnel",
        &["人员经费", "其中：人员经费"],
        Ty::Amount,
        "其中：人员经费（万元）",
    ),
    key("public", &["公用经费"], Ty::Amount, "公用经费（万元）"),
    key(
        "project",
        &["项目经费", "项目支出"],
        Ty::Amount,
        "项目经费（项目支出，万元）",
    ),
    key(
        "basic",
        &["基本支出"],
        Ty::Amount,
        "基本支出（万元）= 人员经费 + 公用经费",
    ),
    key("other", &["其他支出"], Ty::Amount, "其他支出（万元）"),
];

/// The optional content row under 部门职能分解 / 部门中期目标 / 部门年度绩效目标.
pub const DECOMPOSITION: &[Key] = &[
    key("functions", &["部门职能分解"], Ty::Text, "部门职能分解"),
    key("midterm", &["部门中期目标"], Ty::Text, "部门中期目标"),
    key(
        "annual",
        &["部门年度绩效目标"],
        Ty::Text,
        "部门年度绩效目标",
    ),
];

/// One 年度主要任务.
pub const TASK: &[Key] = &[
    key("name", &["任务名称"], Ty::Text, "任务名称"),
    key(
        "content",
        &["工作内容", "主要内容"],
        Ty::Text,
        "工作内容（主要内容）",
    ),
    key(
        "goal",
        &["对应年度绩效目标和内容"],
        Ty::Text,
        "对应年度绩效目标和内容",
    ),
    key(
        "amount",
        &["预算金额", "预算金额（万元）", "总额"],
        Ty::Amount,
        "预算金额（总额，万元）",
    ),
    key(
        "fiscal",
        &["财政", "财政拨款"],
        Ty::Amount,
        "预算金额中的财政资金（财政拨款，万元），可选",
    ),
    key(
        "other",
        &["其他", "其他资金"],
        Ty::Amount,
        "预算金额中的其他资金（万元），可选",
    ),
];

/// The keys of a 三级 indicator written in full (instead of the shorthand `名称: 指标值`).
pub const INDICATOR: &[Key] = &[
    key("name", &["三级指标", "名称"], Ty::Text, "三级指标名称"),
    key(
        "value",
        &["指标值"],
        Ty::Text,
        "指标值：[比较符] 数字 [单位]，如 ≥7500家、=4枚、≤300万元、95%；或文字，如 良好、全年",
    ),
    key(
        "op",
        &["指标性质"],
        Ty::Comparator,
        "指标性质：≥ ≤ = > < 或 定性（与 value 分开写时用）",
    ),
    key(
        "unit",
        &["度量单位"],
        Ty::Text,
        "度量单位，如 家、次、%、万元（与 value 分开写时用）",
    ),
    key(
        "weight",
        &["权重"],
        Ty::Percent,
        "权重（百分比，可选），如 10 或 10%",
    ),
    key(
        "direction",
        &["指标方向性"],
        Ty::Text,
        "指标方向性（可选）：正向 或 反向",
    ),
    key("note", &["备注"], Ty::Text, "备注（可选）"),
    key(
        "explanation",
        &["指标解释"],
        Ty::Text,
        "指标解释（可选）：这个指标衡量什么、怎样计算",
    ),
    key(
        "standard",
        &["绩效标准"],
        Ty::Text,
        "绩效标准（可选），如 历史标准、计划标准、行业标准",
    ),
];

/// The values `form` accepts for a project self-evaluation.
pub const PROJECT_SELFEVAL_FORM_NAMES: &[&str] =
    &["project-selfeval", "项目支出绩效自评表", "项目自评"];
/// The values `form` accepts for a department self-evaluation.
pub const DEPARTMENT_SELFEVAL_FORM_NAMES: &[&str] =
    &["department-selfeval", "部门整体支出绩效自评表", "部门自评"];

/// The keys of a self-evaluation (项目支出绩效自评表 / 部门整体支出绩效自评表, spec `selfeval.md`);
/// the serde shape is `src/selfeval/raw.rs`.
pub const SELFEVAL: &[Key] = &[
    required(
        "form",
        &["表单"],
        Ty::Form,
        "表单类型：project-selfeval 为《项目支出绩效自评表》，department-selfeval 为《部门整体支出绩效自评表》",
    ),
    key(
        "layout",
        &["版式"],
        Ty::Text,
        "版式：mof-2020（默认）、sichuan-2023、transfer，或版式文件（相对于本文件）",
    ),
    key(
        "target",
        &["目标申报表", "绩效目标"],
        Ty::Text,
        "目标申报表文件（相对于本文件），名称、部门、目标和指标取自它",
    ),
    key(
        "scoring",
        &["评分规则", "评分"],
        Ty::Block(SCORING),
        "评分规则（可选），默认为财预〔2020〕10号",
    ),
    // Not required, unlike a target form's: the year may come from the target.
    key(
        "year",
        &["年度"],
        Ty::Year,
        "年度：四位年份，如 2023（默认取自目标申报表）",
    ),
    UNIT,
    key(
        "name",
        &["项目名称", "部门（单位）名称", "部门名称"],
        Ty::Text,
        "名称（默认取自目标申报表）",
    ),
    key("code", &["项目代码"], Ty::Text, "项目代码（可选）"),
    key(
        "department",
        &["主管部门", "主管部门及代码"],
        Ty::Text,
        "主管部门（默认取自目标申报表）",
    ),
    key(
        "implementer",
        &["实施单位"],
        Ty::Text,
        "实施单位（默认取自目标申报表）",
    ),
    key(
        "goal",
        &["年度总体目标", "预期目标"],
        Ty::Text,
        "年度总体目标 预期目标（默认取自目标申报表）",
    ),
    key(
        "goal_result",
        &["实际完成情况", "年度总体目标完成情况"],
        Ty::Text,
        "年度总体目标 实际完成情况",
    ),
    key(
        "execution",
        &["项目资金", "项目资金（万元）", "预算执行情况"],
        Ty::Block(EXECUTION),
        "预算执行情况：分值与各行资金",
    ),
    key(
        "results",
        &["实际完成", "完成情况"],
        Ty::Map(RESULT),
        "每个三级指标的完成情况，以指标名称为键，其下为这些键",
    ),
    key(
        "indicators",
        &["绩效指标", "年度绩效指标"],
        Ty::Indicators,
        "没有目标申报表时逐项写出的指标（每项另有 actual、points、score、reason）",
    ),
    key(
        "conclusion",
        &["评价结论"],
        Ty::Block(CONCLUSION),
        "评价结论、存在问题、改进措施（可选）",
    ),
    key(
        "signoff",
        &["签署"],
        Ty::Block(SELFEVAL_SIGNOFF),
        "表格下方的签署行（项目负责人、财务负责人、填报人、填报日期）",
    ),
];

/// `scoring:` options.
pub const SCORING: &[Key] = &[
    key(
        "reverse",
        &["反向指标"],
        Ty::Text,
        "反向指标：linear（线性，2 倍指标值时为 0，默认）或 ratio（指标值 ÷ 实际值 × 分值）",
    ),
    key(
        "execution",
        &["预算执行"],
        Ty::Text,
        "预算执行得分：capped（执行率超过 100% 按 100%，默认）或 uncapped",
    ),
    key(
        "execution_points",
        &["预算执行分值"],
        Ty::Text,
        "预算执行的默认分值：10（默认）或 20（指标 80）",
    ),
    key(
        "grades",
        &["等级"],
        Ty::Text,
        "等级分数线：90/80/60（默认）或 80/70/60",
    ),
    key(
        "over_achievement",
        &["超额完成"],
        Ty::Text,
        "超额完成须说明原因的倍数：1.2 或 1.3（默认不要求）",
    ),
];

/// `execution:` of a self-evaluation.
pub const EXECUTION: &[Key] = &[
    key("points", &["分值"], Ty::Amount, "预算执行分值（默认 10）"),
    key(
        "score",
        &["得分"],
        Ty::Amount,
        "预算执行得分（可不填，自动计算；填了会被核对）",
    ),
    key(
        "rows",
        &["资金"],
        Ty::List(EXECUTION_ROW),
        "资金各行：第一行为 年度资金总额，其后为其中各项",
    ),
    key(
        "reason",
        &["原因", "偏差原因"],
        Ty::Text,
        "执行率低于 90% 或预算调整时的原因",
    ),
];

/// One row of `execution.rows`.
pub const EXECUTION_ROW: &[Key] = &[
    key(
        "name",
        &["名称"],
        Ty::Text,
        "资金名称，如 年度资金总额、其中：财政拨款",
    ),
    key(
        "initial",
        &["年初预算数", "年初预算"],
        Ty::Amount,
        "年初预算数（万元）",
    ),
    key(
        "budget",
        &["全年预算数", "调整后预算数"],
        Ty::Amount,
        "全年预算数（调整后预算数，万元）",
    ),
    key(
        "spent",
        &["全年执行数", "预算执行数"],
        Ty::Amount,
        "全年执行数（万元）",
    ),
    key(
        "rate",
        &["执行率", "预算执行率"],
        Ty::Percent,
        "执行率（可不填，自动计算；填了会被核对）",
    ),
];

/// One indicator's entry under `results` (by the indicator's name), and the extra keys of an
/// inline indicator.
pub const RESULT: &[Key] = &[
    key(
        "actual",
        &["实际完成值", "全年完成值", "完成值"],
        Ty::Text,
        "实际完成值：数字和单位同指标值（如 7425家）；定性指标写 达成年度指标 / 部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差",
    ),
    key(
        "points",
        &["分值", "权重"],
        Ty::Amount,
        "分值（默认取目标申报表的权重）",
    ),
    key(
        "score",
        &["得分"],
        Ty::Amount,
        "得分（可不填，自动计算；填了会被核对）",
    ),
    key(
        "reason",
        &["偏差原因分析及改进措施", "未完成原因分析", "原因"],
        Ty::Text,
        "得分低于分值时必填：偏差原因分析及改进措施",
    ),
];

/// An indicator written inline in a self-evaluation: the target form's keys and the result's.
pub const SELFEVAL_INDICATOR: &[Key] = &[
    key("name", &["三级指标", "名称"], Ty::Text, "三级指标名称"),
    key(
        "value",
        &["指标值", "年度指标值"],
        Ty::Text,
        "指标值：[比较符] 数字 [单位]，如 ≥7500家；或文字，如 良好",
    ),
    key(
        "op",
        &["指标性质"],
        Ty::Comparator,
        "指标性质：≥ ≤ = > < 或 定性（与 value 分开写时用）",
    ),
    key(
        "unit",
        &["度量单位"],
        Ty::Text,
        "度量单位（与 value 分开写时用）",
    ),
    key("weight", &["权重"], Ty::Percent, "权重（百分比，可选）"),
    key(
        "direction",
        &["指标方向性"],
        Ty::Text,
        "指标方向性（可选）：正向 或 反向",
    ),
    key("note", &["备注"], Ty::Text, "备注（可选）"),
    key(
        "actual",
        &["实际完成值", "全年完成值", "完成值"],
        Ty::Text,
        "实际完成值",
    ),
    key("points", &["分值"], Ty::Amount, "分值"),
    key(
        "score",
        &["得分"],
        Ty::Amount,
        "得分（可不填，自动计算；填了会被核对）",
    ),
    key(
        "reason",
        &["偏差原因分析及改进措施", "未完成原因分析", "原因"],
        Ty::Text,
        "得分低于分值时必填：偏差原因分析及改进措施",
    ),
];

/// `conclusion:` of a self-evaluation.
pub const CONCLUSION: &[Key] = &[
    key("summary", &["评价结论"], Ty::Text, "评价结论"),
    key("problems", &["存在问题"], Ty::Text, "存在问题"),
    key("measures", &["改进措施"], Ty::Text, "改进措施"),
];

/// `signoff:` of a self-evaluation.
pub const SELFEVAL_SIGNOFF: &[Key] = &[
    key(
        "project_head",
        &["项目负责人", "单位负责人"],
        Ty::Text,
        "项目负责人（部门表为单位负责人）",
    ),
    key("finance_head", &["财务负责人"], Ty::Text, "财务负责人"),
    key("preparer", &["填报人"], Ty::Text, "填报人"),
    key("phone", &["联系电话"], Ty::Text, "联系电话"),
    key("date", &["填报日期"], Ty::Text, "填报日期"),
];

/// The keys of a form's top level.
pub fn form_keys(kind: crate::declaration::FormKind) -> &'static [Key] {
    match kind {
        crate::declaration::FormKind::Project => PROJECT,
        crate::declaration::FormKind::Department => DEPARTMENT,
        crate::declaration::FormKind::ProjectSelfeval
        | crate::declaration::FormKind::DepartmentSelfeval => SELFEVAL,
    }
}

/// 二级 names seen in real forms that the scheme accepts as legacy names (spec `forms.md` §3).
/// Which 一级 each may stand under is asked of [`crate::declaration::scheme::resolve_level2`], so
/// only the list of candidate spellings lives here.
pub const LEGACY_LEVEL2: &[&str] = &[
    "环境效益指标",
    "满意度指标",
    "社会公众或服务对象满意度指标",
    "服务对象满意度",
    "经济成本指标",
    "服务对象满意度指标",
];
