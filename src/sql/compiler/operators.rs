//! Operators, precedence and grouping (SQLAlchemy's `sql/operators.py`
//! `_PRECEDENCE`, `is_precedent`), the function-name registry
//! (`sql/functions.py`) and the boolean short-circuits of `and_()`/`or_()`.

use super::*;

// ---------------------------------------------------------------------------
// Operators and precedence (sql/operators.py)
// ---------------------------------------------------------------------------

/// An operator a child is grouped against (the `against` of SQLAlchemy's
/// `self_group(against=…)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Against {
    Binary(Operator),
    In,
    NotIn,
    Between,
    NotBetween,
    And,
    Or,
    /// `operators.inv`: `NOT x`.
    Inv,
    /// `operators.neg`: `-x`.
    Neg,
    /// `operators.distinct_op`: `DISTINCT x`.
    DistinctOp,
    /// `asc_op` / `desc_op`.
    OrderBy,
    /// `operators.comma_op`: function arguments, `IN (…)` lists.
    Comma,
    /// `operators._asbool`: a lone WHERE/HAVING/ON criterion.
    AsBool,
}

impl Against {
    /// `_PRECEDENCE` from SQLAlchemy's `sql/operators.py`.
    pub(super) fn precedence(self) -> i32 {
        use Operator::*;
        match self {
            Against::Binary(Mul | Div | Mod) | Against::Neg => 8,
            Against::Binary(Add | Sub) => 7,
            Against::Binary(Collate) => 4,
            Against::Binary(_)
            | Against::In
            | Against::NotIn
            | Against::Between
            | Against::NotBetween
            | Against::Inv
            | Against::DistinctOp => 5,
            Against::And | Against::OrderBy => 3,
            Against::Or => 2,
            Against::Comma => -1,
            Against::AsBool => -10,
        }
    }

    /// `operators.is_natural_self_precedent`: `(a + b) + c` needs no
    /// parentheses (`_associative`: `add`, `mul`, `concat_op`, `and_`, `or_`).
    pub(super) fn natural_self_precedent(self) -> bool {
        matches!(
            self,
            Against::Binary(Operator::Add | Operator::Mul | Operator::Concat)
                | Against::And
                | Against::Or
        )
    }

    /// `operators.is_boolean`: comparisons, `NOT`, `AND`, `OR`.
    pub(super) fn is_boolean(self) -> bool {
        use Operator::*;
        match self {
            Against::Binary(op) => !matches!(op, Add | Sub | Mul | Div | Mod | Concat | Collate),
            Against::In
            | Against::NotIn
            | Against::Between
            | Against::NotBetween
            | Against::Inv
            | Against::And
            | Against::Or => true,
            _ => false,
        }
    }

    /// Contexts where `ColumnElement.self_group` turns a Boolean-typed
    /// expression into `AsBoolean` (`x = 1` on SQLite).
    pub(super) fn wants_boolean(self) -> bool {
        matches!(self, Against::And | Against::Or | Against::AsBool)
    }
}

/// `operators.is_precedent(operator, against)`.
pub(super) fn is_precedent(op: Against, against: Against) -> bool {
    if op == against && op.natural_self_precedent() {
        false
    } else {
        op.precedence() <= against.precedence()
    }
}

/// `OperatorExpression.self_group`: parentheses when `is_precedent`, or when a
/// non-boolean operator is negated.
pub(super) fn operator_needs_group(op: Against, against: Against) -> bool {
    is_precedent(op, against) || (against == Against::Inv && !op.is_boolean())
}

/// The SQL spelling of a binary operator (`compiler.OPERATORS`).
pub(super) fn operator_sql(op: Operator) -> &'static str {
    use Operator::*;
    match op {
        Eq => " = ",
        Ne => " != ",
        Lt => " < ",
        Le => " <= ",
        Gt => " > ",
        Ge => " >= ",
        Is => " IS ",
        IsNot => " IS NOT ",
        Like => " LIKE ",
        NotLike => " NOT LIKE ",
        ILike => " LIKE ",
        NotILike => " NOT LIKE ",
        Add => " + ",
        Sub => " - ",
        Mul => " * ",
        Div => " / ",
        Mod => " % ",
        Concat => " || ",
        Collate => " COLLATE ",
    }
}

/// How `self_group(against)` wraps an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Grouping {
    /// Rendered as is.
    Plain,
    /// `Grouping`: `(x)`.
    Parens,
    /// `AsBoolean(x, is_true)`: `x = 1` on SQLite (no native boolean).
    AsTrue,
}

// ---------------------------------------------------------------------------
// Functions (sql/functions.py registry)
// ---------------------------------------------------------------------------

/// SQLAlchemy's registered generic functions: `func.COUNT` is `count`,
/// `func.Max` is `max` (the registry is case-insensitive), anything else keeps
/// the name it was called with.
pub(super) const GENERIC_FUNCTIONS: &[&str] = &[
    "aggregate_strings",
    "array_agg",
    "char_length",
    "coalesce",
    "concat",
    "count",
    "cube",
    "cume_dist",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "dense_rank",
    "grouping_sets",
    "localtime",
    "localtimestamp",
    "max",
    "min",
    "mode",
    "now",
    "percent_rank",
    "percentile_cont",
    "percentile_disc",
    "random",
    "rank",
    "rollup",
    "session_user",
    "sum",
    "sysdate",
    "user",
];

/// `AnsiFunction`s: rendered upper case, without parentheses when called
/// without arguments (`CURRENT_DATE`).
pub(super) const ANSI_FUNCTIONS: &[&str] = &[
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "localtime",
    "session_user",
    "sysdate",
    "user",
];

/// The name SQLAlchemy gives `func.<name>`: the registered generic function's
/// name when there is one, else `name` itself. Also the base of the
/// automatic label (`count_1`).
pub fn function_name(name: &str) -> String {
    generic_function(name).map_or_else(|| name.to_string(), str::to_string)
}

/// The registered generic function `func.<name>` makes (any case), if
/// any: its class's name (`func.COUNT()` is a `count`).
pub fn generic_function(name: &str) -> Option<&'static str> {
    GENERIC_FUNCTIONS
        .iter()
        .find(|g| g.eq_ignore_ascii_case(name))
        .copied()
}

/// A `Boolean` column: SQLAlchemy renders it `x = 1` in a WHERE clause and
/// its negation `x = 0` (SQLite has no native boolean).
pub(super) fn is_boolean_column(e: &Expr) -> bool {
    match e {
        Expr::Column(c) => column_type(c) == Some(SqlType::Boolean),
        _ => false,
    }
}

/// `true()` / `false()`, seeing through `NOT` (`not_(true())` is `false()`).
pub(super) fn bool_const(e: &Expr) -> Option<bool> {
    match e {
        Expr::True => Some(true),
        Expr::False => Some(false),
        // `AsBoolean._negate` of a wrapped `true()`/`false()` is the constant.
        Expr::Not(inner) => bool_const(single_bool_clause(inner).unwrap_or(inner)).map(|b| !b),
        _ => None,
    }
}

/// The clause of a one-clause `and_()`/`or_()` that SQLAlchemy keeps wrapped
/// in `AsBoolean` (a Boolean column, `true()`, `false()`); `None` otherwise.
pub(super) fn single_bool_clause(e: &Expr) -> Option<&Expr> {
    let Expr::BoolList { op, clauses } = e else {
        return None;
    };
    match process_clauses_for_boolean(*op, clauses).as_slice() {
        [single] if matches!(single, Expr::True | Expr::False) || is_boolean_column(single) => {
            Some(*single)
        }
        _ => None,
    }
}

/// `BooleanClauseList._process_clauses_for_boolean`: in `and_()` a `true()`
/// is dropped and a `false()` replaces everything (the reverse for `or_()`).
pub(super) fn process_clauses_for_boolean(op: BoolOp, clauses: &[Expr]) -> Vec<&Expr> {
    let (continue_on, skip_on) = match op {
        BoolOp::And => (true, false),
        BoolOp::Or => (false, true),
    };
    let mut has_continue: Option<&Expr> = None;
    let mut out = Vec::new();
    for clause in clauses {
        match bool_const(clause) {
            Some(b) if b == continue_on => has_continue = Some(clause),
            Some(b) if b == skip_on => return vec![clause],
            _ => out.push(clause),
        }
    }
    if out.is_empty()
        && let Some(c) = has_continue
    {
        out.push(c);
    }
    out
}
