//! The SQL expression tree: SQLAlchemy Core's `ClauseElement` family
//! (`sql/elements.py`, `sql/selectable.py`, `sql/dml.py`), built by the ORM
//! and rendered by [`crate::sql::compiler`].
//!
//! Values from the learner only ever enter as [`Expr::Bind`]; nothing here
//! holds SQL text.

use std::rc::Rc;

use super::schema::{SqlValue, TableRef};

/// A name that is either fixed (`users`, a `.label("n")`) or anonymous, numbered
/// per compiled statement in render order from its base (`messages` →
/// `messages_1`, `anon` → `anon_1`, `count` → `count_1`).
#[derive(Debug, Clone, PartialEq)]
pub enum Name {
    Fixed(String),
    Anon(String),
}

/// `table AS name`: an aliased table, e.g. `messages AS messages_1` for a
/// joined eager load. Compared by pointer: two aliases of one table differ.
#[derive(Debug, PartialEq)]
pub struct Alias {
    pub table: TableRef,
    pub name: Name,
}

/// `(SELECT …) AS name`: a subquery in a FROM list, e.g. `anon_1` in
/// `Query.count()`. Its columns are the inner SELECT's columns, by position.
#[derive(Debug, PartialEq)]
pub struct Subquery {
    pub select: Select,
    pub name: Name,
    /// A common table expression (`Select.cte()`): rendered once in the
    /// statement's `WITH name AS (…)` prefix and referenced by name.
    pub cte: bool,
    /// `Select.cte(recursive=True)`: the prefix says `WITH RECURSIVE` and
    /// this CTE's entry lists its column names, `name(a, b) AS (…)`.
    pub recursive: bool,
    /// `cte.union_all(…)` (SQLAlchemy's `CTE._restates`): the CTE this one
    /// restates. Both are one WITH entry under one name, so the restated
    /// CTE named inside this one's body refers to this one.
    pub restates: Option<Rc<Subquery>>,
    /// `cte.alias()` (SQLAlchemy's `CTE._cte_alias`): the CTE this aliases;
    /// it renders `cte_name AS alias_name` in a FROM list. `select` is the
    /// aliased CTE's, for the column names.
    pub alias_of: Option<Rc<Subquery>>,
    /// `Select.lateral()` (SQLAlchemy's `Lateral`): rendered `LATERAL (…)
    /// AS name`, its SELECT correlating to the enclosing SELECT's FROMs.
    pub lateral: bool,
    /// `func.f(…).table_valued(…)` / `.column_valued(…)` (SQLAlchemy's
    /// `TableValuedAlias`): the function rendered in the FROM list, `f(…)
    /// AS name`, in place of a SELECT.
    pub table_function: Option<TableFunction>,
    /// `aliased(User, subq)` over a subquery whose columns are not the
    /// mapped table's in order (SQLAlchemy's `ORMAdapter` with
    /// `adapt_required`): this is a view of that subquery, `(base, map)`,
    /// whose column `i` is `base`'s column `map[i]` (`None`: the subquery
    /// lacks it). [`Expr::column`] resolves a view's columns to `base`'s,
    /// so a view never reaches the compiler.
    pub adapts: Option<(Rc<Subquery>, Vec<Option<usize>>)>,
}

/// The function of a table-valued FROM item ([`Subquery::table_function`]).
#[derive(Debug, PartialEq)]
pub struct TableFunction {
    pub func: Expr,
    /// `render_derived()`: the alias lists its column names, `AS
    /// anon_1(value)`.
    pub derived: bool,
    /// `column_valued()`: the FROM item's one column renders as the alias
    /// name alone (`SELECT x FROM f(…) AS x`).
    pub column_valued: bool,
    /// `values(…).data([…])` (SQLAlchemy's `Values`): rendered `(VALUES
    /// (…), (…)) AS name (a, b)` in place of `func`.
    pub values: Option<ValuesRows>,
}

/// The rows of a `Values` FROM item ([`TableFunction::values`]).
#[derive(Debug, PartialEq)]
pub struct ValuesRows {
    /// Each row's values, bound parameters (`:param_1`).
    pub rows: Vec<Vec<Expr>>,
    /// `Values.alias(name)`: the name after `AS`, while its columns keep
    /// the first name (`SELECT my_values.id … AS vv (id, name)`), as
    /// SQLAlchemy 2.0 renders it.
    pub alias: Option<String>,
}

impl Subquery {
    /// A plain subquery (`cte` false) or CTE of `select`, named `name`.
    pub fn new(select: Select, name: Name, cte: bool) -> Subquery {
        Subquery {
            select,
            name,
            cte,
            recursive: false,
            restates: None,
            alias_of: None,
            lateral: false,
            table_function: None,
            adapts: None,
        }
    }

    /// A view of `base` for an entity whose table column `i` is `base`'s
    /// column `map[i]` ([`Subquery::adapts`]).
    pub fn adapted(base: &Rc<Subquery>, map: Vec<Option<usize>>) -> Subquery {
        let mut sq = Subquery::new(base.select.clone(), base.name.clone(), base.cte);
        sq.adapts = Some((base.clone(), map));
        sq
    }

    /// For a view ([`Subquery::adapts`]): whether its column `i` is in the
    /// base subquery. `None` for a subquery that is no view.
    pub fn adapts_column(&self, i: usize) -> Option<bool> {
        self.adapts
            .as_ref()
            .map(|(_, map)| map.get(i).copied().flatten().is_some())
    }

    /// The CTE that `sq` restates, through every `union_all()`: the one
    /// whose name and WITH entry `sq` shares (itself when it restates none).
    pub fn cte_root(sq: &Rc<Subquery>) -> Rc<Subquery> {
        let mut cur = sq.clone();
        while let Some(r) = cur.restates.clone() {
            cur = r;
        }
        cur
    }
}

/// Something columns can come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Selectable {
    Table(TableRef),
    Alias(Rc<Alias>),
    Subquery(Rc<Subquery>),
}

impl Selectable {
    /// True when both name the same FROM object (tables and aliases by pointer).
    pub fn same(&self, other: &Selectable) -> bool {
        match (self, other) {
            (Selectable::Table(a), Selectable::Table(b)) => Rc::ptr_eq(a, b),
            (Selectable::Alias(a), Selectable::Alias(b)) => Rc::ptr_eq(a, b),
            (Selectable::Subquery(a), Selectable::Subquery(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// A FROM-list entry: a selectable or a join tree of them.
#[derive(Debug, Clone, PartialEq)]
pub enum FromClause {
    Selectable(Selectable),
    Join(Rc<Join>),
}

/// `left [LEFT OUTER] JOIN right ON on`.
#[derive(Debug, PartialEq)]
pub struct Join {
    pub left: FromClause,
    pub right: FromClause,
    pub on: Expr,
    /// `LEFT OUTER JOIN` when true, plain `JOIN` otherwise.
    pub outer: bool,
    /// `FULL OUTER JOIN` (`join(..., full=True)`), whatever `outer` says.
    pub full: bool,
}

thread_local! {
    static NEXT_BIND_ID: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

/// A new bound parameter object's identity (see [`BindValue::id`]).
pub fn fresh_bind_id() -> u64 {
    NEXT_BIND_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

/// A bound value (SQLAlchemy's `BindParameter` made by coercing a Python
/// value): its value, the object's identity and, for `literal()`, a key of
/// its own. Derefs to the value. Equal when value and key are equal,
/// whatever the identities.
#[derive(Debug, Clone)]
pub struct BindValue {
    pub value: SqlValue,
    /// The Python object's identity, which keys its anonymous name
    /// (`_truncate_bindparam` through the compiler's anon map): the same
    /// object rendered twice in one statement is `:id_1` both times, one
    /// parameter; a distinct object takes the next number.
    pub id: u64,
    /// The key the name is made from when not the other side's
    /// (`literal(3)`: `param`, so `:param_1`).
    pub key: Option<&'static str>,
    /// SQLAlchemy's `bindparam(callable_=…)`: the value is read when the
    /// statement runs, by whoever made the callable (`value` is what it
    /// held when the statement was built).
    pub callable_: Option<BindCallable>,
}

impl BindValue {
    /// A new bound parameter object holding `value`.
    pub fn new(value: SqlValue) -> BindValue {
        BindValue {
            value,
            id: fresh_bind_id(),
            key: None,
            callable_: None,
        }
    }
}

/// A bound parameter's `callable_`, opaque here: the room that made it
/// (the ORM's relationship comparison) downcasts it back and evaluates it
/// once the statement is compiled, as SQLAlchemy's `construct_params()`
/// calls `BindParameter.callable`. Equal when it is the same callable.
#[derive(Clone)]
pub struct BindCallable(pub Rc<dyn std::any::Any>);

impl std::fmt::Debug for BindCallable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BindCallable")
    }
}

impl PartialEq for BindCallable {
    fn eq(&self, other: &BindCallable) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl From<SqlValue> for BindValue {
    fn from(value: SqlValue) -> BindValue {
        BindValue::new(value)
    }
}

impl std::ops::Deref for BindValue {
    type Target = SqlValue;
    fn deref(&self) -> &SqlValue {
        &self.value
    }
}

impl PartialEq for BindValue {
    fn eq(&self, other: &BindValue) -> bool {
        self.value == other.value && self.key == other.key
    }
}

/// A reference to the `index`-th column of a selectable (for a subquery, the
/// `index`-th column of its SELECT list).
#[derive(Debug, Clone)]
pub struct ColumnRef {
    pub from: Selectable,
    pub index: usize,
    /// The marks `remote()` / `foreign()` (and `remote_side=`) put on the
    /// column inside a relationship's `primaryjoin=`, as SQLAlchemy's
    /// annotations; they never change how it renders or compares.
    pub annotations: ColumnAnnotations,
}

/// SQLAlchemy's `{"remote": True}` / `{"foreign": True}` column annotations
/// (`sqlalchemy.orm.relationships.remote()` / `foreign()`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnAnnotations {
    /// `remote(col)`: the column is on the relationship's target side.
    pub remote: bool,
    /// `foreign(col)`: the column is the referencing one.
    pub foreign: bool,
    /// SQLAlchemy's `parententity` annotation: the column was read from a
    /// mapped attribute (`User.name`, `aliased(User).name`); the number
    /// names its mapper in `orm::expression`'s table of annotated
    /// entities. `None` for a Core column (`users.c.name`).
    pub parententity: Option<u32>,
}

impl PartialEq for ColumnRef {
    /// Annotated or not, a column is the same column (as SQLAlchemy's
    /// annotated columns compare equal to their originals).
    fn eq(&self, other: &ColumnRef) -> bool {
        self.from == other.from && self.index == other.index
    }
}

/// A binary operator, named after SQLAlchemy's `sql/operators.py`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Is,
    IsNot,
    Like,
    NotLike,
    ILike,
    NotILike,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Concat,
    /// `collate(x, name)` / `x.collate(name)`: `x COLLATE name`, the right
    /// side a [`Expr::LiteralColumn`] of the collation's name, quoted by
    /// the dialect (SQLAlchemy's `CollationClause`).
    Collate,
}

impl Operator {
    /// The operator `not_()` turns this one into, when SQLAlchemy has one
    /// (`==` ↔ `!=`, `LIKE` ↔ `NOT LIKE`, …).
    pub fn negated(self) -> Option<Operator> {
        use Operator::*;
        Some(match self {
            Eq => Ne,
            Ne => Eq,
            Lt => Ge,
            Ge => Lt,
            Gt => Le,
            Le => Gt,
            Is => IsNot,
            IsNot => Is,
            Like => NotLike,
            NotLike => Like,
            ILike => NotILike,
            NotILike => ILike,
            _ => return None,
        })
    }
}

/// `AND` / `OR` of a clause list (`and_()`, `or_()`, several `filter()` calls).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

/// A column expression (SQLAlchemy's `ColumnElement`).
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `users.id`, `messages_1.id`, `anon_1.users_id`.
    Column(ColumnRef),
    /// A bound parameter, rendered `?` (`:id_1`), named after the other
    /// side of its comparison unless it has a key of its own; one
    /// [`BindValue`] object used twice is one parameter.
    Bind(BindValue),
    /// `bindparam(key, value)`: a parameter named by its own key rather
    /// than after the other side of a comparison. With `unique`, the key
    /// takes a number (`param_1`: SQLAlchemy's anonymous `bindparam(None)`
    /// of a lazy load); without, the name is the key (`pk_1` of
    /// `Mapper._get_clause`), and in an expanding `IN` each value is
    /// `key_1`, `key_2` (`primary_keys_1` of a selectin load).
    BindParam {
        key: String,
        value: SqlValue,
        unique: bool,
    },
    /// `NULL` (from `== None`, `is_(None)`).
    Null,
    /// `true()` / `== True`: rendered `1` on SQLite.
    True,
    /// `false()` / `== False`: rendered `0` on SQLite.
    False,
    /// `*`, as in `count(*)`.
    Star,
    Binary {
        left: Box<Expr>,
        op: Operator,
        right: Box<Expr>,
    },
    /// `left IN (…)`, `left NOT IN (…)`; values are usually binds.
    In {
        left: Box<Expr>,
        values: Vec<Expr>,
        negated: bool,
    },
    Between {
        expr: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        negated: bool,
    },
    BoolList {
        op: BoolOp,
        clauses: Vec<Expr>,
    },
    /// `NOT x`.
    Not(Box<Expr>),
    /// `-x`.
    Neg(Box<Expr>),
    /// `DISTINCT x`, as in `count(distinct(x))`.
    Distinct(Box<Expr>),
    /// `name(args…)`; `func.count()` with no arguments renders `count(*)`.
    Function {
        name: String,
        args: Vec<Expr>,
    },
    /// `expr AS name`.
    Label {
        name: Name,
        expr: Box<Expr>,
    },
    /// `x ASC` in ORDER BY.
    Asc(Box<Expr>),
    /// `x DESC` in ORDER BY.
    Desc(Box<Expr>),
    /// `(SELECT …)` used as a value.
    ScalarSelect(Box<Select>),
    /// `EXISTS (SELECT 1 FROM … WHERE …)`, from `any()` / `has()`.
    Exists(Box<Select>),
    /// `(x)`: parentheses SQLAlchemy always puts around `startswith()`,
    /// `endswith()` and `contains()` comparisons.
    Grouping(Box<Expr>),
    /// A LIKE pattern built around a value: `? || '%'` (`startswith`),
    /// `'%' || ?` (`endswith`), `'%' || ? || '%'` (`contains`).
    LikePattern {
        value: Box<Expr>,
        leading: bool,
        trailing: bool,
    },
    /// The pattern side of a LIKE carrying SQLAlchemy's `escape` modifier
    /// (`like(p, escape="!")`, `contains(v, autoescape=True)`): the LIKE
    /// renders `x LIKE pattern ESCAPE '!'` (`lower(x) LIKE lower(pattern)
    /// ESCAPE '!'` for `ilike`), as `visit_binary` appends the modifier.
    Escape {
        pattern: Box<Expr>,
        escape: String,
    },
    /// `1`, as in `SELECT 1` inside EXISTS.
    One,
    /// `CASE [value] WHEN w THEN r … [ELSE e] END` (`case()`, positional
    /// `(condition, result)` pairs or the `value=` form).
    Case {
        value: Option<Box<Expr>>,
        whens: Vec<(Expr, Expr)>,
        else_: Option<Box<Expr>>,
    },
    /// `CAST(x AS type)` (`cast()`, `x.cast()`); its SELECT-list name is the
    /// wrapped column's, as SQLAlchemy's `WrapsColumnExpression`.
    Cast {
        expr: Box<Expr>,
        type_: super::schema::SqlType,
    },
    /// SQL text used as written: `literal_column("x")`.
    LiteralColumn(String),
    /// `type_coerce(expr, type_)`: the expression as written, of another
    /// Python-side type (a column keeps its name as the SELECT label).
    TypeCoerce {
        expr: Box<Expr>,
        type_: super::schema::SqlType,
    },
    /// `func.count(x).filter(crit)` (SQLAlchemy's `FunctionFilter`):
    /// `count(x) FILTER (WHERE crit)`, its criteria AND-ed.
    FunctionFilter {
        func: Box<Expr>,
        criterion: Vec<Expr>,
    },
    /// `x NULLS FIRST` / `x NULLS LAST` (`nulls_first()`, `nulls_last()`).
    Nulls {
        expr: Box<Expr>,
        first: bool,
    },
    /// A window function: `f(…) OVER (PARTITION BY … ORDER BY …)`
    /// (`func.row_number().over(...)`).
    Over {
        func: Box<Expr>,
        partition_by: Vec<Expr>,
        order_by: Vec<Expr>,
    },
    /// A reference by name to a label of the SELECT list: `order_by("n")`,
    /// `desc("n")` render `n`.
    LabelRef(String),
    /// `func.f(…).within_group(*order_by)` (SQLAlchemy's `WithinGroup`):
    /// `f(…) WITHIN GROUP (ORDER BY …)`.
    WithinGroup {
        func: Box<Expr>,
        order_by: Vec<Expr>,
    },
    /// `expr[index]` on a `JSON` expression (the `json_getitem_op`
    /// `BinaryExpression`): `expr[:p]` in the string dialect,
    /// `JSON_QUOTE(JSON_EXTRACT(expr, ?))` on SQLite (the index bound as a
    /// JSON path, `$."key"` / `$[0]`), `expr -> %(p)s` on PostgreSQL; with
    /// `as_type` (`.as_string()`, `.as_integer()` …) `JSON_EXTRACT(expr, ?)`
    /// and `CAST(expr ->> %(p)s AS VARCHAR)`.
    JsonGetItem {
        expr: Box<Expr>,
        index: Box<Expr>,
        as_type: Option<super::schema::SqlType>,
    },
    /// `extract(field, expr)` (SQLAlchemy's `Extract`): `EXTRACT(field
    /// FROM expr)`, on SQLite `CAST(STRFTIME('%Y', expr) AS INTEGER)`.
    Extract {
        field: String,
        expr: Box<Expr>,
    },
}

impl Expr {
    /// Column `index` of `from`; a view's ([`Subquery::adapts`]) is its
    /// base subquery's column.
    pub fn column(from: &Selectable, index: usize) -> Expr {
        if let Selectable::Subquery(sq) = from
            && let Some((base, map)) = &sq.adapts
            && let Some(Some(j)) = map.get(index)
        {
            return Expr::column(&Selectable::Subquery(base.clone()), *j);
        }
        Expr::Column(ColumnRef {
            from: from.clone(),
            index,
            annotations: ColumnAnnotations::default(),
        })
    }

    pub fn binary(left: Expr, op: Operator, right: Expr) -> Expr {
        Expr::Binary {
            left: Box::new(left),
            op,
            right: Box::new(right),
        }
    }

    /// `and_(a, b, …)`, flattening nested ANDs as SQLAlchemy does; one clause
    /// stays itself.
    pub fn and(clauses: Vec<Expr>) -> Expr {
        Expr::bool_list(BoolOp::And, clauses)
    }

    /// `or_(a, b, …)`, flattening nested ORs.
    pub fn or(clauses: Vec<Expr>) -> Expr {
        Expr::bool_list(BoolOp::Or, clauses)
    }

    fn bool_list(op: BoolOp, clauses: Vec<Expr>) -> Expr {
        let mut flat = Vec::new();
        for c in clauses {
            match c {
                Expr::BoolList { op: inner, clauses } if inner == op => flat.extend(clauses),
                other => flat.push(other),
            }
        }
        if flat.len() == 1 {
            return flat.remove(0);
        }
        Expr::BoolList { op, clauses: flat }
    }

    /// [`Expr::map_columns`], also inside scalar subqueries (their SELECT
    /// list, WHERE, GROUP BY, HAVING and ORDER BY): a `column_property()`'s
    /// correlated subquery pointed at an alias of its table
    /// (`address.user_id = person_1.id`), as SQLAlchemy's `ClauseAdapter`
    /// traverses into a correlated select.
    pub fn map_columns_deep(&self, f: &dyn Fn(&ColumnRef) -> Option<Expr>) -> Expr {
        let deep = |e: &Expr| e.map_columns_deep(f);
        match self {
            Expr::ScalarSelect(s) => {
                let mut s = (**s).clone();
                for list in [
                    &mut s.columns,
                    &mut s.where_,
                    &mut s.group_by,
                    &mut s.having,
                    &mut s.order_by,
                ] {
                    *list = list.iter().map(deep).collect();
                }
                Expr::ScalarSelect(Box::new(s))
            }
            Expr::Column(c) => f(c).unwrap_or_else(|| self.clone()),
            Expr::Binary { left, op, right } => Expr::Binary {
                left: Box::new(deep(left)),
                op: *op,
                right: Box::new(deep(right)),
            },
            Expr::Label { name, expr } => Expr::Label {
                name: name.clone(),
                expr: Box::new(deep(expr)),
            },
            Expr::Grouping(e) => Expr::Grouping(Box::new(deep(e))),
            Expr::Function { name, args } => Expr::Function {
                name: name.clone(),
                args: args.iter().map(deep).collect(),
            },
            other => other.map_columns(f),
        }
    }

    /// A copy with each column reference replaced where `f` gives a
    /// replacement (SQLAlchemy's `ClauseAdapter`, used to point an ORDER BY
    /// at a wrapping subquery).
    pub fn map_columns(&self, f: &dyn Fn(&ColumnRef) -> Option<Expr>) -> Expr {
        let m = |e: &Expr| Box::new(e.map_columns(f));
        match self {
            Expr::Column(c) => f(c).unwrap_or_else(|| self.clone()),
            Expr::Binary { left, op, right } => Expr::Binary {
                left: m(left),
                op: *op,
                right: m(right),
            },
            Expr::In {
                left,
                values,
                negated,
            } => Expr::In {
                left: m(left),
                values: values.iter().map(|v| v.map_columns(f)).collect(),
                negated: *negated,
            },
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => Expr::Between {
                expr: m(expr),
                low: m(low),
                high: m(high),
                negated: *negated,
            },
            Expr::BoolList { op, clauses } => Expr::BoolList {
                op: *op,
                clauses: clauses.iter().map(|c| c.map_columns(f)).collect(),
            },
            Expr::Not(e) => Expr::Not(m(e)),
            Expr::Extract { field, expr } => Expr::Extract {
                field: field.clone(),
                expr: m(expr),
            },
            Expr::Neg(e) => Expr::Neg(m(e)),
            Expr::Distinct(e) => Expr::Distinct(m(e)),
            Expr::Asc(e) => Expr::Asc(m(e)),
            Expr::Desc(e) => Expr::Desc(m(e)),
            Expr::Function { name, args } => Expr::Function {
                name: name.clone(),
                args: args.iter().map(|a| a.map_columns(f)).collect(),
            },
            Expr::Label { name, expr } => Expr::Label {
                name: name.clone(),
                expr: m(expr),
            },
            Expr::Grouping(e) => Expr::Grouping(m(e)),
            Expr::LikePattern {
                value,
                leading,
                trailing,
            } => Expr::LikePattern {
                value: m(value),
                leading: *leading,
                trailing: *trailing,
            },
            Expr::Escape { pattern, escape } => Expr::Escape {
                pattern: m(pattern),
                escape: escape.clone(),
            },
            Expr::Case {
                value,
                whens,
                else_,
            } => Expr::Case {
                value: value.as_ref().map(|v| m(v)),
                whens: whens
                    .iter()
                    .map(|(w, r)| (w.map_columns(f), r.map_columns(f)))
                    .collect(),
                else_: else_.as_ref().map(|e| m(e)),
            },
            Expr::Cast { expr, type_ } => Expr::Cast {
                expr: m(expr),
                type_: type_.clone(),
            },
            Expr::TypeCoerce { expr, type_ } => Expr::TypeCoerce {
                expr: m(expr),
                type_: type_.clone(),
            },
            Expr::FunctionFilter { func, criterion } => Expr::FunctionFilter {
                func: m(func),
                criterion: criterion.iter().map(|e| e.map_columns(f)).collect(),
            },
            Expr::Nulls { expr, first } => Expr::Nulls {
                expr: m(expr),
                first: *first,
            },
            Expr::Over {
                func,
                partition_by,
                order_by,
            } => Expr::Over {
                func: m(func),
                partition_by: partition_by.iter().map(|e| e.map_columns(f)).collect(),
                order_by: order_by.iter().map(|e| e.map_columns(f)).collect(),
            },
            Expr::WithinGroup { func, order_by } => Expr::WithinGroup {
                func: m(func),
                order_by: order_by.iter().map(|e| e.map_columns(f)).collect(),
            },
            Expr::JsonGetItem {
                expr,
                index,
                as_type,
            } => Expr::JsonGetItem {
                expr: m(expr),
                index: m(index),
                as_type: as_type.clone(),
            },
            other => other.clone(),
        }
    }

    /// `not_(x)` / `~x`, as SQLAlchemy negates at construction: a comparison
    /// flips its operator, `IN` becomes `NOT IN`, `NOT x` becomes `x`, anything
    /// else is wrapped in `NOT`.
    pub fn negate(self) -> Expr {
        match self {
            Expr::Binary { left, op, right } => match op.negated() {
                Some(neg) => Expr::Binary {
                    left,
                    op: neg,
                    right,
                },
                None => Expr::Not(Box::new(Expr::Binary { left, op, right })),
            },
            Expr::In {
                left,
                values,
                negated,
            } => Expr::In {
                left,
                values,
                negated: !negated,
            },
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => Expr::Between {
                expr,
                low,
                high,
                negated: !negated,
            },
            Expr::Not(inner) => *inner,
            Expr::True => Expr::False,
            Expr::False => Expr::True,
            other => Expr::Not(Box::new(other)),
        }
    }
}

/// How a SELECT names its columns (SQLAlchemy's `SelectLabelStyle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelStyle {
    /// `session.query(...)`, lazy loads and `Session.get` in 2.0:
    /// `users.id AS users_id`.
    TablenamePlusCol,
    /// `select(...)`: no labels except to break a clash (`AS id_1`).
    DisambiguateOnly,
}

/// A SELECT statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    /// The SELECT list, in order. Rows come back in this order.
    pub columns: Vec<Expr>,
    /// Explicit FROM entries (joins, `select_from`). They render first, then
    /// the FROMs the columns and WHERE clause imply; a table inside a join is
    /// not repeated.
    pub froms: Vec<FromClause>,
    /// WHERE criteria, AND-ed.
    pub where_: Vec<Expr>,
    pub group_by: Vec<Expr>,
    /// HAVING criteria, AND-ed.
    pub having: Vec<Expr>,
    pub order_by: Vec<Expr>,
    pub limit: Option<Expr>,
    pub offset: Option<Expr>,
    pub distinct: bool,
    pub label_style: LabelStyle,
    /// A compound select (`union(a, b)`): the statement is these selects
    /// joined by the keyword, then this select's ORDER BY / LIMIT / OFFSET;
    /// `columns` are the first select's (its result columns). `froms`,
    /// WHERE, GROUP BY and HAVING of this select stay empty.
    pub compound: Option<Box<Compound>>,
    /// `correlate_except(Address)`: the FROM objects never correlated;
    /// every other FROM the enclosing SELECT has is (SQLAlchemy's
    /// `_correlate_except`, which turns auto-correlation off). `None`:
    /// auto-correlation.
    pub correlate_except: Option<Vec<Selectable>>,
    /// `correlate(user_table)`: the FROM objects correlated to the
    /// enclosing SELECT when it has them (SQLAlchemy's `_correlate`, which
    /// turns auto-correlation off). `None`: auto-correlation.
    pub correlate: Option<Vec<Selectable>>,
    /// The identity of each SELECT-list expression object, parallel to
    /// `columns` (`None`: unknown, or a plain column, which is keyed by its
    /// table and index). SQLAlchemy keys anonymous labels by object
    /// identity (`id(obj)`), so the same object twice shares its
    /// `count_1` (or takes a dedupe label `count__1`), and a copy of this
    /// select (a scalar subquery repeated in ORDER BY, an aliased
    /// `column_property()`) names its columns as the original does. Read
    /// only while its length equals `columns`'.
    pub column_ids: Vec<Option<u64>>,
    /// `with_for_update(...)`: the row lock the SELECT takes, rendered after
    /// LIMIT/OFFSET by dialects that have one (`None`: no lock).
    pub for_update: Option<ForUpdate>,
    /// A `TextualSelect` (`text("SELECT …").columns(…)`) made a subquery:
    /// the SELECT renders as this text, as written; `columns` name its
    /// result columns (labels of literal columns).
    pub textual: Option<String>,
    /// The `TextualSelect`'s `bindparams()` values, for its `:name`
    /// parameters.
    pub textual_binds: Vec<(String, SqlValue)>,
}

/// `Select.with_for_update(nowait=, read=, of=, skip_locked=, key_share=)`,
/// as SQLAlchemy 2.0's `ForUpdateArg`: PostgreSQL renders ` FOR UPDATE`,
/// ` FOR SHARE`, ` FOR NO KEY UPDATE` or ` FOR KEY SHARE`, then ` OF t, …`,
/// ` NOWAIT`, ` SKIP LOCKED`; SQLite renders nothing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ForUpdate {
    pub read: bool,
    pub nowait: bool,
    pub skip_locked: bool,
    pub key_share: bool,
    /// `of=`: the tables (or aliases) locked, in order, each once.
    pub of: Vec<Selectable>,
}

/// The keyword of a compound select, as SQLAlchemy's `_CompoundSelectKeyword`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompoundKeyword {
    Union,
    UnionAll,
    Intersect,
    IntersectAll,
    Except,
    ExceptAll,
}

impl CompoundKeyword {
    /// The keyword of the `sqlalchemy` function or `Select` method `name`
    /// (`union`, `union_all`, `intersect`, `intersect_all`, `except_`,
    /// `except_all`).
    pub fn of_name(name: &str) -> Option<CompoundKeyword> {
        Some(match name {
            "union" => CompoundKeyword::Union,
            "union_all" => CompoundKeyword::UnionAll,
            "intersect" => CompoundKeyword::Intersect,
            "intersect_all" => CompoundKeyword::IntersectAll,
            "except_" => CompoundKeyword::Except,
            "except_all" => CompoundKeyword::ExceptAll,
            _ => return None,
        })
    }

    /// The name of the `sqlalchemy` function for this keyword.
    pub fn name(self) -> &'static str {
        match self {
            CompoundKeyword::Union => "union",
            CompoundKeyword::UnionAll => "union_all",
            CompoundKeyword::Intersect => "intersect",
            CompoundKeyword::IntersectAll => "intersect_all",
            CompoundKeyword::Except => "except_",
            CompoundKeyword::ExceptAll => "except_all",
        }
    }

    /// The SQL keyword (`UNION`, `UNION ALL`, …).
    pub fn sql(self) -> &'static str {
        match self {
            CompoundKeyword::Union => "UNION",
            CompoundKeyword::UnionAll => "UNION ALL",
            CompoundKeyword::Intersect => "INTERSECT",
            CompoundKeyword::IntersectAll => "INTERSECT ALL",
            CompoundKeyword::Except => "EXCEPT",
            CompoundKeyword::ExceptAll => "EXCEPT ALL",
        }
    }
}

/// The selects of a compound select (SQLAlchemy's `CompoundSelect.selects`).
#[derive(Debug, Clone, PartialEq)]
pub struct Compound {
    pub keyword: CompoundKeyword,
    pub selects: Vec<Select>,
}

impl Select {
    pub fn new(columns: Vec<Expr>, label_style: LabelStyle) -> Select {
        Select {
            columns,
            froms: Vec::new(),
            where_: Vec::new(),
            group_by: Vec::new(),
            having: Vec::new(),
            order_by: Vec::new(),
            limit: None,
            offset: None,
            distinct: false,
            label_style,
            compound: None,
            correlate_except: None,
            correlate: None,
            column_ids: Vec::new(),
            for_update: None,
            textual: None,
            textual_binds: Vec::new(),
        }
    }
}

/// `INSERT INTO table (cols…) VALUES (?, …) [RETURNING …]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Insert {
    pub table: TableRef,
    /// Column indices with their bound values, in table order.
    pub values: Vec<(usize, SqlValue)>,
    /// Column indices to return (`RETURNING id`), empty for none.
    pub returning: Vec<usize>,
}

/// One value of a row of an INSERT's VALUES clause
/// ([`crate::sql::compiler::compile_insert_rows`]).
#[derive(Debug, Clone, PartialEq)]
pub enum RowValue {
    /// A value bound under the given name (`name`, `name_m0`, `name_m1`).
    Bind(SqlValue, String),
    /// A SQL expression rendered in place (`(SELECT users.id …)`).
    Expr(Expr),
}

/// The `ON CONFLICT …` clause of a dialect's own `insert()` (SQLite's and
/// PostgreSQL's `on_conflict_do_nothing()` / `on_conflict_do_update()`),
/// rendered after the VALUES, before ` RETURNING`.
#[derive(Debug, Clone, PartialEq)]
pub struct OnConflict {
    /// `index_elements=`: the conflict target (`(name)`), column names or
    /// expressions rendered without their table; `None`: no target.
    pub target: Option<Vec<ConflictTarget>>,
    /// `index_where=`: ` WHERE …` after the target.
    pub index_where: Option<Expr>,
    /// PostgreSQL's `constraint=`: `ON CONSTRAINT name` as the target.
    pub constraint: Option<String>,
    /// `DO UPDATE SET …` (`None`: `DO NOTHING`).
    pub update: Option<ConflictUpdate>,
}

/// One element of an `ON CONFLICT (…)` target.
#[derive(Debug, Clone, PartialEq)]
pub enum ConflictTarget {
    /// A column given by name (`index_elements=["name"]`).
    Name(String),
    /// A column or expression (`index_elements=[User.name]`).
    Expr(Expr),
}

/// `DO UPDATE SET a = …, b = … [WHERE …]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictUpdate {
    /// The quoted-to-be column names and their values, in the table's
    /// column order (names that are no column after them).
    pub set: Vec<(String, Expr)>,
    /// `where=`: rendered with the table's name (`roles.name != ?`).
    pub where_: Option<Expr>,
}

/// `UPDATE table SET a=?, b=? WHERE table.pk = ?`.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub table: TableRef,
    pub set: Vec<(usize, SqlValue)>,
    /// Primary-key column indices and values for the WHERE clause.
    pub key: Vec<(usize, SqlValue)>,
}

/// `DELETE FROM table WHERE table.pk = ?`.
#[derive(Debug, Clone, PartialEq)]
pub struct Delete {
    pub table: TableRef,
    pub key: Vec<(usize, SqlValue)>,
}

/// `UPDATE table SET a=?, b=(expr) WHERE …`: a bulk UPDATE
/// (`update(User).where(…).values(…)`, `Query.update()`).
#[derive(Debug, Clone, PartialEq)]
pub struct BulkUpdate {
    pub table: TableRef,
    /// Column indices and their new values (binds or expressions).
    pub set: Vec<(usize, Expr)>,
    /// A multi-table UPDATE's SET of other tables' columns (MySQL's
    /// `UPDATE a, b SET b.x=…`): each table, column index and value.
    pub extra_set: Vec<(TableRef, usize, Expr)>,
    /// WHERE criteria, AND-ed; none updates every row.
    pub where_: Vec<Expr>,
    /// `returning(t.c.id, …)`: column indices of ` RETURNING …` (empty:
    /// none).
    pub returning: Vec<usize>,
}

/// `DELETE FROM table WHERE …`: a bulk DELETE (`delete(User).where(…)`,
/// `Query.delete()`).
#[derive(Debug, Clone, PartialEq)]
pub struct BulkDelete {
    pub table: TableRef,
    pub where_: Vec<Expr>,
    /// `returning(t.c.id, …)`: column indices of ` RETURNING …` (empty:
    /// none).
    pub returning: Vec<usize>,
}

/// `text("SELECT … WHERE id = :id")`: textual SQL with `:name` parameters
/// and the values `.bindparams()` gave them (SQLAlchemy's `TextClause`).
#[derive(Debug, Clone, PartialEq)]
pub struct TextClause {
    pub text: String,
    pub binds: Vec<(String, SqlValue)>,
    /// `.columns(…)` (SQLAlchemy's `TextualSelect`): the result columns
    /// it names, `None` for a plain `TextClause`.
    pub columns: Option<Vec<TextColumn>>,
}

/// A column a `TextualSelect` names: given positionally (`.columns(users.c.id)`,
/// typing the result column at its position) or by keyword
/// (`.columns(id=Integer)`, typing the result column of that name).
#[derive(Debug, Clone, PartialEq)]
pub struct TextColumn {
    pub name: String,
    pub ty: Option<super::schema::SqlType>,
    pub positional: bool,
}

impl TextClause {
    /// The SQL type of each result column named `names` (the cursor's):
    /// by position when `.columns()` gave only columns, else by name; none
    /// for a plain `TextClause`.
    pub fn result_types(&self, names: &[String]) -> Vec<Option<super::schema::SqlType>> {
        let Some(columns) = &self.columns else {
            return vec![None; names.len()];
        };
        if columns.iter().all(|c| c.positional) {
            return (0..names.len())
                .map(|i| columns.get(i).and_then(|c| c.ty.clone()))
                .collect();
        }
        names
            .iter()
            .map(|n| {
                columns
                    .iter()
                    .find(|c| c.name == *n)
                    .and_then(|c| c.ty.clone())
            })
            .collect()
    }

    /// True when the text is a statement that returns rows (`SELECT`,
    /// `WITH`, `VALUES`, `PRAGMA`, `EXPLAIN`), by its first word.
    pub fn returns_rows(&self) -> bool {
        if self.columns.is_some() {
            return true;
        }
        let first: String = self
            .text
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphabetic())
            .collect::<String>()
            .to_uppercase();
        matches!(
            first.as_str(),
            "SELECT" | "WITH" | "VALUES" | "PRAGMA" | "EXPLAIN"
        )
    }
}

/// The `bindparam()` keys in `e`, in order, each once.
pub fn collect_bindparam_keys(e: &Expr, out: &mut Vec<String>) {
    let mut visit = |x: &Expr| collect_bindparam_keys(x, out);
    match e {
        Expr::BindParam { key, unique, .. } => {
            let fresh = !unique && !out.contains(key);
            if fresh {
                out.push(key.clone());
            }
        }
        Expr::Binary { left, right, .. } => {
            visit(left);
            visit(right);
        }
        Expr::BoolList { clauses, .. } => clauses.iter().for_each(visit),
        Expr::Not(x) | Expr::Neg(x) | Expr::Grouping(x) | Expr::Distinct(x) => visit(x),
        Expr::Function { args, .. } => args.iter().for_each(visit),
        Expr::Label { expr, .. } | Expr::Cast { expr, .. } | Expr::TypeCoerce { expr, .. } => {
            visit(expr)
        }
        Expr::FunctionFilter { func, criterion } => {
            visit(func);
            criterion.iter().for_each(visit);
        }
        Expr::In { left, values, .. } => {
            visit(left);
            values.iter().for_each(visit);
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            visit(expr);
            visit(low);
            visit(high);
        }
        // `values(user_id=select(…).where(t.c.name == bindparam("n"))
        // .scalar_subquery())`: the subquery's parameters are the statement's
        Expr::ScalarSelect(select) | Expr::Exists(select) => select
            .columns
            .iter()
            .chain(&select.where_)
            .chain(&select.having)
            .for_each(visit),
        _ => {}
    }
}
