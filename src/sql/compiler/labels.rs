//! SELECT-list naming (`Select._generate_columns_plus_names`) and the keys
//! of bound parameters.

use super::*;

// ---------------------------------------------------------------------------
// SELECT-list naming (Select._generate_columns_plus_names)
// ---------------------------------------------------------------------------

/// The label decision for one SELECT-list column: `required` is always
/// rendered (`AS users_id`, `AS id_1`); `fallback` is rendered when the kind
/// of expression calls for a label (`count(*) AS count_1`, or a column
/// inside a FROM subquery).
#[derive(Debug, Clone, Default)]
pub(super) struct ColPlan {
    pub(super) required: Option<NameT>,
    pub(super) fallback: Option<NameT>,
}

/// Identity of a SELECT-list column for clash detection: a column by its
/// selectable and index (`hash(column)`), any other expression by position.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ColId {
    Column(usize, usize),
    Expr(usize, usize),
}

pub(super) fn col_key(e: &Expr, sel: usize, idx: usize, kind: LabelKind) -> AnonKey {
    match e {
        Expr::Column(c) => AnonKey::Column(selectable_ptr(&c.from), c.index, kind),
        _ => AnonKey::Expr(sel, idx, kind),
    }
}

/// The template of an `Expr::Label` at position `idx` of the select `sel`.
pub(super) fn label_template(name: &Name, sel: usize, idx: usize) -> NameT {
    name_template(name, AnonKey::Expr(sel, idx, LabelKind::Name))
}

/// `Not(bool column)`: SQLAlchemy's `AsBoolean(col, is_false)`.
pub(super) fn as_boolean_false(e: &Expr) -> Option<&ColumnRef> {
    let Expr::Not(inner) = e else {
        return None;
    };
    match single_bool_clause(inner).unwrap_or(inner) {
        Expr::Column(c) if column_type(c) == Some(SqlType::Boolean) => Some(c),
        _ => None,
    }
}

/// SQLAlchemy's `AsBoolean` around a Boolean column, whose labels come from
/// the column: `Not(col)` (`~col`: `col = 0`) or a one-clause `and_(col)` /
/// `or_(col)` (`col = 1`).
pub(super) fn as_boolean_column(e: &Expr) -> Option<&ColumnRef> {
    if let Some(c) = as_boolean_false(e) {
        return Some(c);
    }
    match single_bool_clause(e) {
        Some(Expr::Column(c)) => Some(c),
        _ => None,
    }
}

/// The column a `WrapsColumnExpression` wraps and takes its names from:
/// `AsBoolean` of a Boolean column, or a `cast()` of a column
/// (`CAST(users.id AS VARCHAR) AS id`).
pub(super) fn wrapped_column(e: &Expr) -> Option<&ColumnRef> {
    match e {
        Expr::Cast { expr, .. } | Expr::TypeCoerce { expr, .. } => match expr.as_ref() {
            Expr::Column(c) => Some(c),
            _ => None,
        },
        _ => as_boolean_column(e),
    }
}

/// `_tq_label`: the TablenamePlusCol label of an expression, if it has one.
pub(super) fn expr_tq_label(e: &Expr, sel: usize, idx: usize) -> Option<NameT> {
    if let Some(c) = wrapped_column(e) {
        return Some(tq_label(c));
    }
    match e {
        Expr::Column(c) => Some(tq_label(c)),
        Expr::Label { name, .. } => Some(label_template(name, sel, idx)),
        _ => None,
    }
}

/// `_non_anon_label`: the name an expression naturally has.
pub(super) fn expr_non_anon_label(e: &Expr) -> Option<NameT> {
    match e {
        Expr::Column(c) => Some(column_name(c)),
        Expr::Label {
            name: Name::Fixed(n),
            ..
        } => Some(NameT::lit(n.clone())),
        _ => None,
    }
}

/// `.name` of an expression (columns, functions, labels), used by dedupe labels.
pub(super) fn expr_name(e: &Expr, sel: usize, idx: usize) -> Option<NameT> {
    match e {
        Expr::Column(c) => Some(column_name(c)),
        Expr::Function { name, .. } => Some(NameT::lit(function_name(name))),
        Expr::Label { name, .. } => Some(label_template(name, sel, idx)),
        _ => None,
    }
}

/// `_anon_name_label`: `count_1` for `count(…)`, `id_1` for a column,
/// `anon_1` for other expressions; `is_active` (not anonymous) for
/// `AsBoolean` (a `WrapsColumnExpression`).
pub(super) fn expr_anon_name_label(e: &Expr, sel: usize, idx: usize) -> NameT {
    if let Some(c) = wrapped_column(e) {
        return column_name(c);
    }
    let key = col_key(e, sel, idx, LabelKind::Name);
    match e {
        Expr::Column(c) => NameT::anon(key, column_name(c)),
        Expr::Label { name, .. } => label_template(name, sel, idx),
        Expr::Function { name, .. } => NameT::anon(key, NameT::lit(function_name(name))),
        _ => NameT::anon(key, NameT::lit("anon")),
    }
}

/// `_anon_tq_label`: `users_id_1`.
pub(super) fn expr_anon_tq_label(e: &Expr, sel: usize, idx: usize) -> NameT {
    let base = expr_tq_label(e, sel, idx).unwrap_or_else(|| NameT::lit("anon"));
    NameT::anon(col_key(e, sel, idx, LabelKind::Tq), base)
}

/// `_dedupe_anon_tq_label_idx`: `users_id__1`.
pub(super) fn expr_dedupe_tq_label(e: &Expr, sel: usize, idx: usize, n: u32) -> NameT {
    let base = expr_tq_label(e, sel, idx).unwrap_or_else(|| NameT::lit("anon"));
    NameT::anon(col_key(e, sel, idx, LabelKind::Dedupe(n)), base.plus("_"))
}

/// `_dedupe_anon_label_idx`: `id__1` (from `.name`, else the tq form).
pub(super) fn expr_dedupe_label(e: &Expr, sel: usize, idx: usize, n: u32) -> NameT {
    let name = match wrapped_column(e) {
        Some(c) => Some(column_name(c)),
        None => expr_name(e, sel, idx),
    };
    match name {
        Some(name) => NameT::anon(col_key(e, sel, idx, LabelKind::Dedupe(n)), name.plus("_")),
        None => expr_dedupe_tq_label(e, sel, idx, n),
    }
}

/// How a SELECT being rendered names its columns: its [`LabelStyle`], or
/// SQLAlchemy's `LABEL_STYLE_NONE`, which `scalar_subquery()` (and so
/// `in_(select(...))`) always sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    TablenamePlusCol,
    DisambiguateOnly,
    /// No label except the anonymous ones of unnamed expressions.
    None,
}

impl Style {
    pub(super) fn of(select: &Select) -> Style {
        match select.label_style {
            LabelStyle::TablenamePlusCol => Style::TablenamePlusCol,
            LabelStyle::DisambiguateOnly => Style::DisambiguateOnly,
        }
    }
}

/// Port of `Select._generate_columns_plus_names`: decides each SELECT-list
/// column's label under the given label style. The compiler renders with
/// `anon_for_dupe_key` (a repeated column gets `AS id__1`); a subquery's
/// column collection is built without it (the repeat keeps the first name).
pub(super) fn columns_plus_names(
    select: &Select,
    style: Style,
    anon_for_dupe_key: bool,
) -> Vec<ColPlan> {
    if style == Style::None {
        return select
            .columns
            .iter()
            .enumerate()
            .map(|(idx, c)| {
                let (sel, idx) = entry_key(select, idx);
                ColPlan {
                    required: None,
                    fallback: match c {
                        Expr::Star => None,
                        _ => Some(
                            expr_non_anon_label(c)
                                .unwrap_or_else(|| expr_anon_name_label(c, sel, idx)),
                        ),
                    },
                }
            })
            .collect();
    }
    let table_qualified = style == Style::TablenamePlusCol;
    let mut names: Vec<(NameT, ColId)> = Vec::new();
    let lookup = |names: &Vec<(NameT, ColId)>, n: &NameT| -> Option<ColId> {
        names.iter().find(|(k, _)| k == n).map(|(_, id)| id.clone())
    };
    let mut dedupe_hash: u32 = 1;
    let mut plans = Vec::with_capacity(select.columns.len());
    for (idx, c) in select.columns.iter().enumerate() {
        if matches!(c, Expr::Star) {
            // `_render_label_in_columns_clause` is False for `*`.
            plans.push(ColPlan::default());
            continue;
        }
        let (sel, idx) = entry_key(select, idx);
        let id = match c {
            Expr::Column(col) => ColId::Column(selectable_ptr(&col.from), col.index),
            _ => ColId::Expr(sel, idx),
        };
        let dedupe = |n: u32| {
            if table_qualified {
                expr_dedupe_tq_label(c, sel, idx, n)
            } else {
                expr_dedupe_label(c, sel, idx, n)
            }
        };
        let (mut required, mut fallback, effective) = if table_qualified {
            let t = expr_tq_label(c, sel, idx);
            (t.clone(), t.clone(), t)
        } else {
            let t = expr_non_anon_label(c);
            (None, t.clone(), t)
        };
        match effective {
            None => {
                let anon = expr_anon_name_label(c, sel, idx);
                let repeated = lookup(&names, &anon).is_some();
                names.push((anon.clone(), id));
                required = None;
                if repeated {
                    fallback = Some(dedupe(dedupe_hash));
                    dedupe_hash += 1;
                } else {
                    fallback = Some(anon);
                }
            }
            Some(eff) => match lookup(&names, &eff) {
                Some(existing) if existing != id => {
                    let label = if table_qualified {
                        expr_anon_tq_label(c, sel, idx)
                    } else {
                        expr_anon_name_label(c, sel, idx)
                    };
                    if anon_for_dupe_key && lookup(&names, &label).is_some() {
                        let d = dedupe(dedupe_hash);
                        dedupe_hash += 1;
                        required = Some(d.clone());
                        fallback = Some(d);
                    } else {
                        names.push((label.clone(), id));
                        required = Some(label.clone());
                        fallback = Some(label);
                    }
                }
                Some(_) if anon_for_dupe_key => {
                    let d = dedupe(dedupe_hash);
                    dedupe_hash += 1;
                    required = Some(d.clone());
                    fallback = Some(d);
                }
                Some(_) => {}
                None => names.push((eff, id)),
            },
        }
        plans.push(ColPlan { required, fallback });
    }
    plans
}

/// `UnaryExpression._wraps_unnamed_column`: the operand is not a plain
/// column or a fixed-name label.
pub(super) fn wraps_unnamed_column(e: &Expr) -> bool {
    !matches!(
        e,
        Expr::Column(_)
            | Expr::Label {
                name: Name::Fixed(_),
                ..
            }
    )
}

/// The keys of a subquery's columns (`subq.c.<key>`) as
/// `SelectState._column_naming_convention` gives them, for the columns whose
/// key is a plain string (`None`: an anonymous key, which makes a compared
/// parameter `param_N`). A repeated key gets `_1`, `_2`, … from a numbering
/// local to the subquery (`id`, `id_1`).
pub(super) fn subquery_column_keys(sq: &Subquery) -> Vec<Option<String>> {
    let select = &sq.select;
    let table_qualified = select.label_style == LabelStyle::TablenamePlusCol;
    let mut names: Vec<String> = Vec::new();
    let mut counters: HashMap<String, u32> = HashMap::new();
    let mut memo: HashMap<(usize, usize, String), String> = HashMap::new();
    let mut keys = Vec::with_capacity(select.columns.len());
    for (idx, c) in select.columns.iter().enumerate() {
        let column = match c {
            Expr::Column(col) => Some(col),
            _ => as_boolean_column(c),
        };
        let (name, plain) = match (c, column) {
            (_, Some(col)) => {
                let name = if table_qualified {
                    tq_label(col)
                } else {
                    column_name(col)
                };
                (name.literal(), true)
            }
            (
                Expr::Label {
                    name: Name::Fixed(n),
                    ..
                },
                None,
            ) => (Some(n.clone()), true),
            (Expr::Function { name, .. }, None) => (Some(function_name(name)), false),
            _ => (Some("_no_label".to_string()), false),
        };
        let Some(name) = name else {
            keys.push(None);
            continue;
        };
        let key = if names.contains(&name) {
            let identity = match column {
                Some(col) => (selectable_ptr(&col.from), col.index),
                None => (select_ptr(select), idx),
            };
            let memo_key = (identity.0, identity.1, name.clone());
            match memo.get(&memo_key) {
                Some(k) => k.clone(),
                None => {
                    let n = counters.entry(name.clone()).or_insert(0);
                    *n += 1;
                    let k = format!("{name}_{n}");
                    memo.insert(memo_key, k.clone());
                    k
                }
            }
        } else {
            names.push(name.clone());
            name
        };
        keys.push(plain.then_some(key));
    }
    keys
}

/// The bind-parameter key SQLAlchemy derives from the other operand
/// (`users.id = :id_1`, `anon_1.users_id = :users_id_1`, `lower(x) =
/// :lower_1`, else `:param_1`, also for a subquery column with an anonymous
/// key such as a function's).
pub(super) fn bind_key(other: &Expr) -> NameT {
    match other {
        Expr::Column(c) => {
            let key = match &c.from {
                Selectable::Subquery(sq) => {
                    subquery_column_keys(sq).into_iter().nth(c.index).flatten()
                }
                _ => column_name(c).literal(),
            };
            NameT::lit(key.unwrap_or_else(|| "param".to_string()))
        }
        Expr::Function { name, .. } => NameT::lit(function_name(name)),
        _ => NameT::lit("param"),
    }
}

/// What a textual label reference (`order_by("n")`, `group_by("user_id")`)
/// names, as `visit_textual_label_reference` looks it up in
/// `SelectState._label_resolve_dict`: first a SELECT-list label (kept as the
/// reference, which renders its name) or a SELECT-list column by its
/// `tablename_colname` label, then a column of any FROM by its key
/// (`messages.user_id`). `None` when nothing matches: SQLAlchemy raises
/// `CompileError` ([`unresolved_label_reference`]).
pub(super) fn resolve_label_reference(select: &Select, name: &str) -> Option<Expr> {
    for c in &select.columns {
        match c {
            Expr::Label {
                name: Name::Fixed(n),
                ..
            } if n == name => return Some(Expr::LabelRef(name.to_string())),
            Expr::Column(col) if tq_label(col).literal().as_deref() == Some(name) => {
                return Some(c.clone());
            }
            _ => {}
        }
    }
    let mut items: Vec<FromObj> = Vec::new();
    for f in &select.froms {
        from_clause_objects(f, &mut items);
    }
    for e in select.columns.iter().chain(&select.where_) {
        expr_from_objects(e, &mut items);
    }
    for item in &items {
        let FromObj::Sel(sel) = item else { continue };
        let keys: Vec<Option<String>> = match sel {
            Selectable::Table(t) => t.columns.iter().map(|c| Some(c.name.clone())).collect(),
            Selectable::Alias(a) => a
                .table
                .columns
                .iter()
                .map(|c| Some(c.name.clone()))
                .collect(),
            Selectable::Subquery(sq) => subquery_column_keys(sq),
        };
        if let Some(i) = keys.iter().position(|k| k.as_deref() == Some(name)) {
            return Some(Expr::column(sel, i));
        }
    }
    None
}

/// `e` with each textual label reference replaced by what it names
/// (inside `desc()` / `asc()` too).
pub(super) fn resolve_label_references(select: &Select, e: &Expr) -> Expr {
    match e {
        Expr::LabelRef(name) => resolve_label_reference(select, name).unwrap_or_else(|| e.clone()),
        Expr::Asc(x) => Expr::Asc(Box::new(resolve_label_references(select, x))),
        Expr::Desc(x) => Expr::Desc(Box::new(resolve_label_references(select, x))),
        Expr::Distinct(x) => Expr::Distinct(Box::new(resolve_label_references(select, x))),
        other => other.clone(),
    }
}

/// The first textual label reference in the GROUP BY or ORDER BY of
/// `select` that names nothing, with SQLAlchemy's `CompileError` message:
/// `Can't resolve label reference for ORDER BY / GROUP BY / DISTINCT etc.
/// Textual SQL expression 'x' should be explicitly declared as text('x')`.
pub fn unresolved_label_reference(select: &Select) -> Option<String> {
    fn find(select: &Select, e: &Expr) -> Option<String> {
        match e {
            Expr::LabelRef(name) if resolve_label_reference(select, name).is_none() => {
                Some(format!(
                    "Can't resolve label reference for ORDER BY / GROUP BY / DISTINCT etc. Textual SQL expression '{name}' should be explicitly declared as text('{name}')"
                ))
            }
            Expr::Asc(x) | Expr::Desc(x) | Expr::Distinct(x) => find(select, x),
            _ => None,
        }
    }
    select
        .group_by
        .iter()
        .chain(&select.order_by)
        .find_map(|e| find(select, e))
}
