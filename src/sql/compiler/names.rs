//! Anonymous names (`sql/base.py` `prefix_anon_map`,
//! `elements._anonymous_label`) and the names, types and identities of
//! selectables and columns.

use super::*;

// ---------------------------------------------------------------------------
// Anonymous names (sql/base.py prefix_anon_map, elements._anonymous_label)
// ---------------------------------------------------------------------------

/// Which of an element's anonymous labels (SQLAlchemy memoizes several per
/// element: `_anon_name_label`, `_anon_tq_label`, the `__N` dedupe labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum LabelKind {
    Name,
    Tq,
    Dedupe(u32),
}

/// The identity an anonymous name is keyed by (SQLAlchemy keys by `hash(obj)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum AnonKey {
    /// An alias or subquery (`messages_1`, `anon_1`), by `Rc` pointer.
    From(usize),
    /// A label derived from a column (`id_1`, `users_id__1`): the column's
    /// selectable pointer and index, so every occurrence of that column in
    /// the statement shares it.
    Column(usize, usize, LabelKind),
    /// A label of the `index`-th SELECT-list expression of the select at the
    /// given address (`count_1`, `anon_1`, `.label(None)`).
    Expr(usize, usize, LabelKind),
    /// A bound parameter (`id_1`): a [`BindValue`]'s identity, or a keyed
    /// `bindparam()`'s value address in the tree (a subquery rendered twice
    /// names its parameters the same both times).
    Bind(usize),
    /// The one expanding parameter of `IN (…)`, by the address of the `IN`'s
    /// left operand.
    InList(usize),
}

/// One piece of a name template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Piece {
    Lit(String),
    /// Resolves to `<base>_<n>`, `n` from the statement's counter for `base`.
    Anon(AnonKey, NameT),
}

/// A name that may contain anonymous parts, resolved at render time
/// (`messages_1_id` is `Anon(alias, "messages") + "_id"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(super) struct NameT(pub(super) Vec<Piece>);

impl NameT {
    pub(super) fn lit(s: impl Into<String>) -> NameT {
        NameT(vec![Piece::Lit(s.into())])
    }

    pub(super) fn anon(key: AnonKey, base: NameT) -> NameT {
        NameT(vec![Piece::Anon(key, base)])
    }

    /// `self + suffix`.
    pub(super) fn plus(mut self, suffix: &str) -> NameT {
        match self.0.last_mut() {
            Some(Piece::Lit(s)) => s.push_str(suffix),
            _ => self.0.push(Piece::Lit(suffix.to_string())),
        }
        self
    }

    /// `self + other`.
    pub(super) fn concat(mut self, other: NameT) -> NameT {
        for piece in other.0 {
            match piece {
                Piece::Lit(s) => self = self.plus(&s),
                anon => self.0.push(anon),
            }
        }
        self
    }

    /// The name when it has no anonymous part.
    pub(super) fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Lit(s) => out.push_str(s),
                Piece::Anon(..) => return None,
            }
        }
        Some(out)
    }
}

/// SQLAlchemy's `prefix_anon_map`: one counter per base name, from 1, and a
/// memo so one element keeps its name.
#[derive(Debug, Default)]
pub(super) struct AnonMap {
    counters: HashMap<String, u32>,
    names: HashMap<(AnonKey, String), String>,
}

impl AnonMap {
    pub(super) fn next(&mut self, base: &str) -> String {
        let n = self.counters.entry(base.to_string()).or_insert(0);
        *n += 1;
        format!("{base}_{n}")
    }

    pub(super) fn resolve(&mut self, key: AnonKey, base: &str) -> String {
        if let Some(name) = self.names.get(&(key, base.to_string())) {
            return name.clone();
        }
        let name = self.next(base);
        self.names.insert((key, base.to_string()), name.clone());
        name
    }
}

// ---------------------------------------------------------------------------
// Selectables and columns: names, types, identities
// ---------------------------------------------------------------------------

pub(super) fn selectable_ptr(sel: &Selectable) -> usize {
    match sel {
        Selectable::Table(t) => Rc::as_ptr(t) as usize,
        Selectable::Alias(a) => Rc::as_ptr(a) as usize,
        Selectable::Subquery(s) => Rc::as_ptr(s) as usize,
    }
}

pub(super) fn select_ptr(select: &Select) -> usize {
    select as *const Select as usize
}

/// What SELECT-list entry `idx` of `select` is keyed by for its anonymous
/// names, as a (select, position) pair: its expression object's identity
/// (`Select::column_ids`: SQLAlchemy keys by `id(obj)`) as `(0, id)`, so
/// one object shares its names across positions and copies of the select;
/// else the select's address and the position.
pub(super) fn entry_key(select: &Select, idx: usize) -> (usize, usize) {
    let id = (select.column_ids.len() == select.columns.len())
        .then(|| select.column_ids.get(idx).copied().flatten())
        .flatten();
    match id {
        Some(id) => (0, id as usize),
        None => (select_ptr(select), idx),
    }
}

pub(super) fn name_template(name: &Name, key: AnonKey) -> NameT {
    match name {
        Name::Fixed(n) => NameT::lit(n.clone()),
        Name::Anon(base) => NameT::anon(key, NameT::lit(base.clone())),
    }
}

/// The name a selectable is referred to by: `users`, `messages_1`, `anon_1`.
pub(super) fn from_name(sel: &Selectable) -> NameT {
    match sel {
        Selectable::Table(t) => NameT::lit(t.name.clone()),
        Selectable::Alias(a) => name_template(&a.name, AnonKey::From(Rc::as_ptr(a) as usize)),
        // A CTE restating another (`cte.union_all(…)`) shares its name.
        Selectable::Subquery(s) => {
            let root = Subquery::cte_root(s);
            name_template(&root.name, AnonKey::From(Rc::as_ptr(&root) as usize))
        }
    }
}

/// The name of column `index` of `table`; an index out of range (a bug in
/// the caller) renders a visible placeholder rather than panicking.
pub(super) fn table_column_name(table: &Table, index: usize) -> String {
    match table.columns.get(index) {
        Some(c) => c.name.clone(),
        None => format!("<no column {index} in {}>", table.name),
    }
}

/// A column's name within its selectable: `id`, or for a subquery the label
/// its inner SELECT gives that column (`users_id`, `count_1`).
pub(super) fn column_name(col: &ColumnRef) -> NameT {
    match &col.from {
        Selectable::Table(t) => NameT::lit(table_column_name(t, col.index)),
        Selectable::Alias(a) => NameT::lit(table_column_name(&a.table, col.index)),
        Selectable::Subquery(s) => subquery_column_name(s, col.index),
    }
}

/// The name the inner SELECT of a subquery renders for its `index`-th column
/// (every column of a FROM subquery is labelled).
pub(super) fn subquery_column_name(sq: &Subquery, index: usize) -> NameT {
    let plans = columns_plus_names(&sq.select, Style::of(&sq.select), false);
    plans
        .into_iter()
        .nth(index)
        .and_then(|p| p.required.or(p.fallback))
        .unwrap_or_else(|| NameT::lit(format!("<no column {index} in subquery>")))
}

/// The column names a fixed-name selectable holds (for `_gen_tq_label`'s
/// clash check).
pub(super) fn selectable_has_column(sel: &Selectable, name: &str) -> bool {
    match sel {
        Selectable::Table(t) => t.columns.iter().any(|c| c.name == name),
        Selectable::Alias(a) => a.table.columns.iter().any(|c| c.name == name),
        Selectable::Subquery(_) => false,
    }
}

/// `ColumnClause._gen_tq_label`: `<from name>_<column name>`, with `_1`,
/// `_2`, … appended while it equals a column of the same table.
pub(super) fn tq_label(col: &ColumnRef) -> NameT {
    let label = from_name(&col.from).plus("_").concat(column_name(col));
    if let Some(lit) = label.literal()
        && selectable_has_column(&col.from, &lit)
    {
        let mut counter = 1;
        let mut candidate = lit.clone();
        while selectable_has_column(&col.from, &candidate) {
            candidate = format!("{lit}_{counter}");
            counter += 1;
        }
        return NameT::lit(candidate);
    }
    label
}

/// The declared type of a column (for a subquery column, of the inner
/// column it comes from, when that is a column).
pub(super) fn column_type(col: &ColumnRef) -> Option<SqlType> {
    match &col.from {
        Selectable::Table(t) => t.columns.get(col.index).map(|c| c.sql_type.clone()),
        Selectable::Alias(a) => a.table.columns.get(col.index).map(|c| c.sql_type.clone()),
        Selectable::Subquery(s) => match s.select.columns.get(col.index) {
            Some(Expr::Column(inner)) => column_type(inner),
            Some(Expr::Label { expr, .. }) => match expr.as_ref() {
                Expr::Column(inner) => column_type(inner),
                _ => None,
            },
            _ => None,
        },
    }
}
