//! SQLAlchemy Core's expression constructors that are plain functions of
//! `sqlalchemy` (`sql/_elements_constructors.py`): `case()`, `cast()`,
//! `literal_column()`, `nulls_first()` / `nulls_last()`. Each binds its
//! arguments with SQLAlchemy 2.0's signature and builds an
//! [`Expr`](crate::sql::elements::Expr) typed as SQLAlchemy types it.

use crate::orm::expression::{self, SqlExpr, coerce, where_clause};
use crate::python::signature::Signature;
use crate::python::vm::Kwargs;
use crate::python::{ExcType, PyErr, PyResult, Value};
use crate::sql::elements::{Expr, LabelStyle, Select, TextClause};

use super::method::Method;
use crate::sql::schema::SqlType;

/// The Core constructors this module serves, by their `sqlalchemy` name.
pub const CORE_NAMES: &[&str] = &[
    "text",
    "exists",
    "union",
    "union_all",
    "intersect",
    "intersect_all",
    "except_",
    "except_all",
    "case",
    "cast",
    "type_coerce",
    "literal_column",
    "values",
    "Values",
    "bindparam",
    "nulls_first",
    "nulls_last",
    "nullsfirst",
    "nullslast",
    "remote",
    "foreign",
    "collate",
    "over",
    "within_group",
    "funcfilter",
    "extract",
    "label",
    "between",
    "join",
    "outerjoin",
    "orm.join",
    "orm.outerjoin",
];

/// Calls the Core constructor `name` (one of [`CORE_NAMES`]).
///
/// Errors: Python's `TypeError` for arguments that do not fit the
/// signature; SQLAlchemy's `ArgumentError` for a `case()` "when" that is
/// not a `(condition, result)` pair.
pub fn core_call(name: &str, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    match name {
        n if super::alembic::constructs::CONSTRUCT_NAMES.contains(&n) => {
            super::alembic::constructs::construct(n, args, kwargs)
        }
        n if super::join::JOIN_NAMES.contains(&n) => super::join::join_call(n, args, kwargs),
        n if super::compound::COMPOUND_NAMES.contains(&n) => {
            super::compound::compound_call(n, args, kwargs)
        }
        "text" => {
            let b = Signature::function("text", &["text"]).bind(args, kwargs)?;
            let Value::Str(text) = b.required("text")? else {
                return Err(type_error_str("text"));
            };
            Ok(Value::native(TextClause {
                text: text.to_string(),
                binds: Vec::new(),
                columns: None,
            }))
        }
        "case" => case(args, kwargs),
        "collate" => {
            let b =
                Signature::function("collate", &["expression", "collation"]).bind(args, kwargs)?;
            collate(b.required("expression")?, b.required("collation")?)
        }
        "over" => {
            let b = Signature::function(
                "over",
                &["element", "partition_by=", "order_by=", "range_=", "rows="],
            )
            .bind(args, kwargs)?;
            let mut rest = Vec::new();
            for key in ["partition_by", "order_by", "range_", "rows"] {
                if let Some(v) = b.given(key) {
                    rest.push((key.to_string(), v.clone()));
                }
            }
            over(b.required("element")?, Vec::new(), rest)
        }
        "within_group" => {
            let b = Signature::function("within_group", &["element", "*order_by"])
                .bind(args, kwargs)?;
            within_group(b.required("element")?, &b.varargs)
        }
        "funcfilter" => {
            let b =
                Signature::function("funcfilter", &["func", "*criterion"]).bind(args, kwargs)?;
            function_filter(b.required("func")?, &b.varargs)
        }
        // `label(name, element, type_=None)`: `element.label(name)`.
        "label" => {
            let b =
                Signature::function("label", &["name", "element", "type_=!"]).bind(args, kwargs)?;
            let name = b.required("name")?.clone();
            let element = coerce(b.required("element")?, None)?;
            expression::column_method(&Value::native(element), "label", &[name], &[])
                .unwrap_or_else(|| Err(PyErr::unsupported("label()")))
        }
        // `between(expr, lower_bound, upper_bound, symmetric=False)`.
        "between" => {
            let b = Signature::function(
                "between",
                &["expr", "lower_bound", "upper_bound", "symmetric=!"],
            )
            .bind(args, kwargs)?;
            let bounds = [
                b.required("lower_bound")?.clone(),
                b.required("upper_bound")?.clone(),
            ];
            let e = coerce(b.required("expr")?, None)?;
            expression::column_method(&Value::native(e), "between", &bounds, &[])
                .unwrap_or_else(|| Err(PyErr::unsupported("between()")))
        }
        "extract" => {
            let b = Signature::function("extract", &["field", "expr"]).bind(args, kwargs)?;
            extract(b.required("field")?, b.required("expr")?)
        }
        "type_coerce" => {
            let b =
                Signature::function("type_coerce", &["expression", "type_"]).bind(args, kwargs)?;
            type_coerce(b.required("expression")?, b.required("type_")?)
        }
        "load_only" | "defer" | "undefer" | "undefer_group" | "with_expression" => {
            super::strategy_options::column_option(name, args, kwargs, None)
        }
        "sqlite.dialect" | "postgresql.dialect" | "mysql.dialect" | "oracle.dialect" => {
            Signature::function("dialect", &["**kwargs"]).bind(args, kwargs)?;
            let module = format!("sqlalchemy.dialects.{}", name.trim_end_matches(".dialect"));
            match super::compiled::dialect_for_module(&module) {
                Some(d) => Ok(Value::native(super::compiled::DialectObj(d))),
                None => Err(PyErr::unsupported(format!("'{module}.dialect'"))),
            }
        }
        "sqlite.insert" => super::dml::dialect_insert("sqlite", args, kwargs),
        "postgresql.insert" => super::dml::dialect_insert("postgresql", args, kwargs),
        "Load" => super::strategy_options::load(args, kwargs),
        "with_parent" => super::inspection::with_parent(args, kwargs),
        "Bundle" => super::aliased::bundle(args, kwargs),
        "object_session" => super::inspection::object_session(args, kwargs),
        "make_transient" => super::inspection::make_transient("make_transient", args, kwargs),
        "make_transient_to_detached" => {
            super::inspection::make_transient("make_transient_to_detached", args, kwargs)
        }
        "scoped_session" => super::asyncio_scoping::new_sync(args, kwargs),
        "make_url" => super::url::make_url(args, kwargs),
        "close_all_sessions" => {
            // As SQLAlchemy 2.0's `sqlalchemy.orm.close_all_sessions()`.
            Signature::function("close_all_sessions", &[]).bind(args, kwargs)?;
            crate::orm::session::close_all_sessions().map(|()| Value::None)
        }
        "contains_eager" => super::strategy_options::loader_option(
            crate::orm::strategy_options::Strategy::ContainsEager,
            &args,
            kwargs,
            None,
        ),
        "defaultload" => super::strategy_options::loader_option(
            crate::orm::strategy_options::Strategy::Default,
            &args,
            kwargs,
            None,
        ),
        "bindparam" => super::dml::bindparam(args, kwargs),
        "values" | "Values" => super::subquery::values_call(args, kwargs),
        "remote" | "foreign" => annotate_columns(name, args, kwargs),
        "exists" => {
            let b = Signature::function("exists", &["*__argument"]).bind(args, kwargs)?;
            let mut columns = Vec::new();
            for a in &b.varargs {
                columns.push(coerce(a, None)?.expr);
            }
            if columns.is_empty() {
                columns.push(Expr::Star);
            }
            Ok(exists_value(Select::new(
                columns,
                LabelStyle::DisambiguateOnly,
            )))
        }
        "cast" => {
            let b = Signature::function("cast", &["expression", "type_"]).bind(args, kwargs)?;
            cast(b.required("expression")?, b.required("type_")?)
        }
        "literal_column" => {
            let b =
                Signature::function("literal_column", &["text", "type_="]).bind(args, kwargs)?;
            let Value::Str(text) = b.required("text")? else {
                return Err(type_error_str("literal_column"));
            };
            let ty = match b.given("type_") {
                Some(t) => Some(sql_type(t)?),
                None => None,
            };
            Ok(Value::native(SqlExpr::new(
                Expr::LiteralColumn(text.to_string()),
                ty,
            )))
        }
        _ => {
            let first = matches!(name, "nulls_first" | "nullsfirst");
            let sig = Signature::function(
                if first { "nulls_first" } else { "nulls_last" },
                &["column"],
            );
            let b = sig.bind(args, kwargs)?;
            nulls(b.required("column")?, first)
        }
    }
}

/// `collate(expression, collation)` / `expression.collate(collation)`:
/// `expression COLLATE name`, the name quoted by the dialect when it must
/// be (`"NOCASE"`), of the expression's type.
///
/// Errors: `TypeError` for a collation that is not a string.
pub fn collate(expression: &Value, collation: &Value) -> PyResult<Value> {
    let Value::Str(name) = collation else {
        return Err(crate::python::exceptions::type_error(format!(
            "collation must be a string, not {}",
            collation.type_name()
        )));
    };
    let e = coerce(expression, None)?;
    Ok(Value::native(SqlExpr::new(
        Expr::binary(
            e.expr,
            crate::sql::elements::Operator::Collate,
            Expr::LiteralColumn(name.to_string()),
        ),
        e.ty,
    )))
}

/// The fields SQLite's compiler maps to `STRFTIME` codes (its
/// `extract_map`); others are SQLAlchemy's `CompileError` there.
const EXTRACT_FIELDS: &[&str] = &[
    "month", "day", "year", "second", "hour", "doy", "minute", "epoch", "dow", "week",
];

/// `extract(field, expr)`: an `Integer` `EXTRACT(field FROM expr)`.
///
/// Errors: `TypeError` for a field that is not a string;
/// `NotImplementedError` for a field outside SQLite's map.
pub fn extract(field: &Value, expr: &Value) -> PyResult<Value> {
    let Value::Str(field) = field else {
        return Err(crate::python::exceptions::type_error(format!(
            "extract() field must be a string, not {}",
            field.type_name()
        )));
    };
    if !EXTRACT_FIELDS.contains(&&**field) {
        return Err(PyErr::unsupported(format!("extract('{field}', ...)")));
    }
    let e = coerce(expr, None)?;
    Ok(Value::native(SqlExpr::new(
        Expr::Extract {
            field: field.to_string(),
            expr: Box::new(e.expr),
        },
        Some(SqlType::Integer),
    )))
}

fn type_error_str(name: &str) -> PyErr {
    crate::python::exceptions::type_error(format!("{name}() argument must be a string"))
}

/// `cast(expression, type_)` / `expression.cast(type_)`: `CAST(x AS
/// VARCHAR)`, of type `type_`.
pub fn cast(expression: &Value, type_: &Value) -> PyResult<Value> {
    let ty = sql_type(type_)?;
    let e = coerce(expression, None)?;
    Ok(Value::native(SqlExpr::new(
        Expr::Cast {
            expr: Box::new(e.expr),
            type_: ty.clone(),
        },
        Some(ty),
    )))
}

/// `type_coerce(expression, type_)`: the expression rendered as written,
/// its binds and results processed as `type_` (a column keeps its name as
/// its SELECT label, `users.name AS name`).
pub fn type_coerce(expression: &Value, type_: &Value) -> PyResult<Value> {
    let ty = sql_type(type_)?;
    let e = coerce(expression, Some(&ty))?;
    let mut out = SqlExpr::new(
        Expr::TypeCoerce {
            expr: Box::new(e.expr),
            type_: ty.clone(),
        },
        Some(ty),
    );
    out.key = e.key;
    Ok(Value::native(out))
}

/// `func.f(…).filter(*criterion)` (`FunctionElement.filter()`, and
/// `FunctionFilter.filter()` adding to it): `f(…) FILTER (WHERE …)`.
///
/// Errors: those of the criteria's coercion.
fn function_filter(receiver: &Value, criterion: &[Value]) -> PyResult<Value> {
    let e = coerce(receiver, None)?;
    let mut added = Vec::with_capacity(criterion.len());
    for c in criterion {
        added.push(where_clause(c)?);
    }
    let expr = match e.expr {
        Expr::FunctionFilter {
            func,
            mut criterion,
        } => {
            criterion.extend(added);
            Expr::FunctionFilter { func, criterion }
        }
        func => Expr::FunctionFilter {
            func: Box::new(func),
            criterion: added,
        },
    };
    Ok(Value::native(SqlExpr::new(expr, e.ty)))
}

/// `func.f(…).within_group(*order_by)`: `f(…) WITHIN GROUP (ORDER BY …)`,
/// of `NullType` (SQLAlchemy's `WithinGroup.type` for a plain function).
fn within_group(receiver: &Value, order_by: &[Value]) -> PyResult<Value> {
    let e = coerce(receiver, None)?;
    let mut cols = Vec::with_capacity(order_by.len());
    for v in order_by {
        cols.push(coerce(v, None)?.expr);
    }
    Ok(Value::native(SqlExpr::new(
        Expr::WithinGroup {
            func: Box::new(e.expr),
            order_by: cols,
        },
        None,
    )))
}

/// `json_expr[index]` on an expression of `JSON` type: the
/// `json_getitem_op` comparison, itself `JSON`. A tuple index is a JSON
/// path (`json_path_getitem_op`: SQLite's `$."a"[1]`, PostgreSQL's `#>`).
///
/// Errors: `NotImplementedError` for an index other than an `int`, a `str`
/// or a tuple of them.
pub fn json_getitem(e: &SqlExpr, index: &Value) -> PyResult<Value> {
    let index = match index {
        Value::Int(_) | Value::Str(_) => coerce(index, None)?.expr,
        // `col[("a", 1)]`: a JSON path (`JSONPathType`), bound as one value
        Value::Tuple(items) if !items.is_empty() => {
            let mut path = Vec::with_capacity(items.len());
            for item in items.iter() {
                path.push(match item {
                    Value::Int(_) | Value::Str(_) => {
                        crate::orm::expression::bind_value(item, None)?
                    }
                    other => {
                        return Err(PyErr::unsupported(format!(
                            "a JSON path element of type {}",
                            other.type_name()
                        )));
                    }
                });
            }
            Expr::Bind(crate::sql::schema::SqlValue::Array(path).into())
        }
        other => {
            return Err(PyErr::unsupported(format!(
                "a JSON index of type {} (a JSON path)",
                other.type_name()
            )));
        }
    };
    Ok(Value::native(SqlExpr::new(
        Expr::JsonGetItem {
            expr: Box::new(e.expr.clone()),
            index: Box::new(index),
            as_type: None,
        },
        Some(SqlType::Json),
    )))
}

/// `json_expr[index].as_string()` (`as_integer()`, `as_float()`,
/// `as_boolean()`): the element extracted as that SQL type.
fn json_as(receiver: &Value, ty: SqlType) -> PyResult<Value> {
    let e = coerce(receiver, None)?;
    let Expr::JsonGetItem { expr, index, .. } = e.expr else {
        return Err(PyErr::new(ExcType::TypeError, "not a JSON index"));
    };
    Ok(Value::native(SqlExpr::new(
        Expr::JsonGetItem {
            expr,
            index,
            as_type: Some(ty.clone()),
        },
        Some(ty),
    )))
}

/// `nulls_first(x)` / `x.nulls_first()` and the `nulls_last` pair.
pub fn nulls(column: &Value, first: bool) -> PyResult<Value> {
    let e = coerce(column, None)?;
    Ok(Value::native(SqlExpr::new(
        Expr::Nulls {
            expr: Box::new(e.expr),
            first,
        },
        e.ty,
    )))
}

/// A SQLAlchemy type given as a class (`String`) or an instance
/// (`String(50)`).
///
/// Errors: `NotImplementedError` for a type the tutor does not have.
pub(super) fn sql_type(v: &Value) -> PyResult<SqlType> {
    super::schema::type_of(v).ok_or_else(|| {
        PyErr::new(
            ExcType::NotImplementedError,
            format!(
                "orm-tutor does not support {} as a SQL type yet",
                crate::python::format::repr_plain(v)
            ),
        )
    })
}

/// `case(*whens, value=None, else_=None)`: whens are `(condition, result)`
/// tuples, or with `value=` a dict `{compared: result}`; the type is the
/// first result's, as SQLAlchemy's `Case`.
fn case(args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let b = Signature::function("case", &["*whens", "value=", "else_="]).bind(args, kwargs)?;
    let value = match b.given("value") {
        Some(v) => Some(coerce(v, None)?),
        None => None,
    };
    let mut pairs: Vec<(Value, Value)> = Vec::new();
    for w in &b.varargs {
        match w {
            Value::Dict(d) if value.is_some() => pairs.extend(d.borrow().iter().cloned()),
            Value::Tuple(t) if t.len() == 2 => pairs.push((t[0].clone(), t[1].clone())),
            other if expression::is_sql(other) => {
                // SQLAlchemy indexes the "when" as a pair.
                return Err(PyErr::new(
                    ExcType::NotImplementedError,
                    "Operator 'getitem' is not supported on this expression",
                ));
            }
            other => {
                return Err(PyErr::new(
                    ExcType::NotImplementedError,
                    format!(
                        "orm-tutor does not support case() whens given as {} yet; pass (condition, result) tuples",
                        other.type_name()
                    ),
                ));
            }
        }
    }
    let mut whens = Vec::new();
    let mut ty = None;
    for (cond, result) in &pairs {
        let c = match &value {
            Some(v) => coerce(cond, v.ty.as_ref())?.expr,
            None => where_clause(cond)?,
        };
        let r = coerce(result, None)?;
        if ty.is_none() {
            ty = r.ty.clone();
        }
        whens.push((c, r.expr));
    }
    let else_ = match b.get("else_") {
        Some(e) if b.given("else_").is_some() => Some(Box::new(coerce(e, None)?.expr)),
        _ => None,
    };
    Ok(expression::sql(
        Expr::Case {
            value: value.map(|v| Box::new(v.expr)),
            whens,
            else_,
        },
        ty,
    ))
}

/// The `ColumnElement` methods built here: `over()` (on a function),
/// `nulls_first()` / `nulls_last()` (and their old spellings), `cast()`,
/// `Exists.where()`, `ScalarSelect.correlate()` / `.correlate_except()`.
/// `None` when `name` is not one of them.
pub fn column_method(
    receiver: &Value,
    name: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> Option<PyResult<Value>> {
    let (args, kwargs) = (args.to_vec(), kwargs.to_vec());
    Some(match name {
        "over" => over(receiver, args, kwargs),
        "collate" => Signature::method("ColumnOperators.collate", &["collation"])
            .bind(args, kwargs)
            .and_then(|b| collate(receiver, b.required("collation")?)),
        "compile" => {
            let e = coerce(receiver, None);
            e.and_then(|e| {
                super::compiled::compile(
                    super::compiled::Compilable::Expr(&e.expr),
                    "compile",
                    args,
                    kwargs,
                )
            })
        }
        "filter"
            if receiver.downcast::<SqlExpr>().is_some_and(|e| {
                matches!(e.expr, Expr::Function { .. } | Expr::FunctionFilter { .. })
            }) =>
        {
            Signature::method("FunctionElement.filter", &["*criterion"])
                .bind(args, kwargs)
                .and_then(|b| function_filter(receiver, &b.varargs))
        }
        "within_group"
            if receiver
                .downcast::<SqlExpr>()
                .is_some_and(|e| matches!(e.expr, Expr::Function { .. })) =>
        {
            Signature::method("FunctionElement.within_group", &["*order_by"])
                .bind(args, kwargs)
                .and_then(|b| within_group(receiver, &b.varargs))
        }
        "as_string" | "as_integer" | "as_float" | "as_boolean"
            if receiver
                .downcast::<SqlExpr>()
                .is_some_and(|e| matches!(e.expr, Expr::JsonGetItem { as_type: None, .. })) =>
        {
            let (qualified, ty) = match name {
                "as_string" => ("Comparator.as_string", SqlType::String(None)),
                "as_integer" => ("Comparator.as_integer", SqlType::Integer),
                "as_float" => ("Comparator.as_float", SqlType::Float),
                _ => ("Comparator.as_boolean", SqlType::Boolean),
            };
            Signature::method(qualified, &[])
                .bind(args, kwargs)
                .and_then(|_| json_as(receiver, ty))
        }
        "table_valued" | "column_valued"
            if receiver
                .downcast::<SqlExpr>()
                .is_some_and(|e| matches!(e.expr, Expr::Function { .. })) =>
        {
            let column_valued = name == "column_valued";
            let sig = if column_valued {
                Signature::method(
                    "FunctionElement.column_valued",
                    &["name=", "joins_implicitly=!"],
                )
            } else {
                Signature::method(
                    "FunctionElement.table_valued",
                    &["*expr", "name=", "with_ordinality=!", "joins_implicitly=!"],
                )
            };
            sig.bind(args, kwargs).and_then(|b| {
                let name = match b.given("name") {
                    Some(Value::Str(n)) => Some(n.to_string()),
                    Some(Value::None) | None => None,
                    Some(other) => {
                        return Err(PyErr::new(
                            ExcType::TypeError,
                            format!("name must be a string, not {}", other.type_name()),
                        ));
                    }
                };
                let e = coerce(receiver, None)?;
                super::subquery::table_valued(&e.expr, &b.varargs, name, column_valued)
            })
        }
        "nulls_first" | "nulls_last" | "nullsfirst" | "nullslast" => {
            let qualified = match name {
                "nulls_first" => "ColumnOperators.nulls_first",
                "nulls_last" => "ColumnOperators.nulls_last",
                "nullsfirst" => "ColumnOperators.nullsfirst",
                _ => "ColumnOperators.nullslast",
            };
            Signature::method(qualified, &[])
                .bind(args, kwargs)
                .and_then(|_| nulls(receiver, name.contains("first")))
        }
        "cast" => Signature::method("ColumnElement.cast", &["type_"])
            .bind(args, kwargs)
            .and_then(|b| cast(receiver, b.required("type_")?)),
        "correlate" | "correlate_except" if let Some(select) = scalar_select(receiver) => {
            let qualified = if name == "correlate" {
                "ScalarSelect.correlate"
            } else {
                "ScalarSelect.correlate_except"
            };
            Signature::method(qualified, &["*fromclauses"])
                .bind(args, kwargs)
                .and_then(|b| {
                    let froms = super::query::correlate_froms(name, &b.varargs)?;
                    let mut select = select;
                    let target = if name == "correlate" {
                        &mut select.correlate
                    } else {
                        &mut select.correlate_except
                    };
                    target.get_or_insert_with(Vec::new).extend(froms);
                    let ty = receiver.downcast::<SqlExpr>().and_then(|e| e.ty.clone());
                    Ok(expression::sql(Expr::ScalarSelect(Box::new(select)), ty))
                })
        }
        "where" if let Some(select) = exists_select(receiver) => {
            Signature::method("Exists.where", &["*clause"])
                .bind(args, kwargs)
                .and_then(|b| {
                    let mut select = select;
                    for c in &b.varargs {
                        select.where_.push(where_clause(c)?);
                    }
                    Ok(exists_value(select))
                })
        }
        _ => return None,
    })
}

/// `func.f(...).over(partition_by=None, order_by=None)`: a window function;
/// `partition_by` / `order_by` take one expression or a list. `rows=` and
/// `range_=` are not supported yet.
fn over(receiver: &Value, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let e = coerce(receiver, None)?;
    if !matches!(e.expr, Expr::Function { .. }) {
        return Err(PyErr::new(
            ExcType::NotImplementedError,
            "orm-tutor does not support over() on anything but a func.* call yet",
        ));
    }
    let b = Signature::method(
        "FunctionElement.over",
        &["*", "partition_by=", "order_by=", "rows=!", "range_=!"],
    )
    .bind(args, kwargs)?;
    let list = |key: &str| -> PyResult<Vec<Expr>> {
        let items = match b.given(key) {
            None => return Ok(Vec::new()),
            Some(Value::List(l)) => l.items.borrow().clone(),
            Some(Value::Tuple(t)) => t.to_vec(),
            Some(v) => vec![v.clone()],
        };
        items
            .iter()
            .map(|v| match v {
                Value::Str(label) => Ok(Expr::LabelRef(label.to_string())),
                other => Ok(coerce(other, None)?.expr),
            })
            .collect()
    };
    let partition_by = list("partition_by")?;
    let order_by = list("order_by")?;
    Ok(Value::native(SqlExpr::new(
        Expr::Over {
            func: Box::new(e.expr),
            partition_by,
            order_by,
        },
        e.ty,
    )))
}

/// `TextClause`'s methods, as SQLAlchemy 2.0's (`columns()` makes a
/// `TextualSelect`).
pub static TEXT_CLAUSE: &[Method<std::rc::Rc<TextClause>>] = &[
    Method {
        name: "columns",
        params: &["*cols", "**types"],
        call: |_, t, b| text_columns(t, &b.varargs, &b.varkw),
    },
    TEXT_COMPILE,
    TEXT_BINDPARAMS,
];

/// `TextualSelect`'s methods, as SQLAlchemy 2.0's: a SELECT of its own,
/// made a subquery or CTE of the text as written.
pub static TEXTUAL_SELECT: &[Method<std::rc::Rc<TextClause>>] = &[
    Method {
        name: "subquery",
        params: &["name="],
        call: |_, t, b| textual_subquery(t, b.given("name"), false),
    },
    Method {
        name: "cte",
        params: &["name=", "recursive=", "nesting="],
        call: |_, t, b| {
            if b.given("recursive").is_some_and(|v| v.truthy()) {
                return Err(PyErr::unsupported("TextualSelect.cte(recursive=True)"));
            }
            textual_subquery(t, b.given("name"), true)
        },
    },
    TEXT_COMPILE,
    TEXT_BINDPARAMS,
];

/// `TextClause.columns(*cols, **types)`: the `TextualSelect` whose result
/// columns are `cols` (columns, typed by position) and `types` (names
/// with their types, typed by name). A keyword naming a positional column
/// types that column, as SQLAlchemy's.
///
/// Errors: SQLAlchemy's `ArgumentError` for a positional argument that is
/// no column; `NotImplementedError` for a type the tutor lacks.
fn text_columns(t: &TextClause, cols: &[Value], types: &[(String, Value)]) -> PyResult<Value> {
    let mut columns = Vec::with_capacity(cols.len() + types.len());
    for v in cols {
        let name = if expression::is_sql(v) {
            let e = coerce(v, None)?;
            text_column_name(&e).map(|n| (n, e.ty))
        } else if let Some(item) = v.downcast::<crate::orm::schema_items::SchemaItem>()
            && let crate::orm::schema_items::SchemaItem::Column(c, name) = &*item
        {
            // `column("x", Integer)`, or a `Column(...)` of no table
            Some((
                name.clone().unwrap_or_else(|| c.name.clone()),
                Some(c.sql_type.clone()),
            ))
        } else {
            None
        };
        let Some((name, ty)) = name else {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "Column expression expected for argument 'cols'; got {}.",
                    crate::python::format::repr_plain(v)
                ),
            ));
        };
        columns.push(crate::sql::elements::TextColumn {
            name,
            ty,
            positional: true,
        });
    }
    for (k, v) in types {
        let ty = match v {
            Value::None => None,
            v => Some(sql_type(v)?),
        };
        if let Some(c) = columns.iter_mut().find(|c| c.positional && c.name == *k) {
            c.ty = ty;
            continue;
        }
        columns.push(crate::sql::elements::TextColumn {
            name: k.clone(),
            ty,
            positional: false,
        });
    }
    Ok(Value::native(TextClause {
        text: t.text.clone(),
        binds: t.binds.clone(),
        columns: Some(columns),
    }))
}

/// The name a column given to `TextClause.columns()` has: its key, or
/// its table column's name.
fn text_column_name(e: &SqlExpr) -> Option<String> {
    if let Some(k) = &e.key {
        return Some(k.clone());
    }
    match &e.expr {
        Expr::Column(c) => match &c.from {
            crate::sql::elements::Selectable::Table(t) => {
                t.columns.get(c.index).map(|col| col.name.clone())
            }
            crate::sql::elements::Selectable::Alias(a) => {
                a.table.columns.get(c.index).map(|col| col.name.clone())
            }
            crate::sql::elements::Selectable::Subquery(_) => None,
        },
        Expr::Label {
            name: crate::sql::elements::Name::Fixed(n),
            ..
        } => Some(n.clone()),
        _ => None,
    }
}

/// `TextualSelect.subquery(name=None)` / `.cte(name=None)`: the text as a
/// FROM item, `(SELECT …) AS anon_1`, whose `.c` are the columns it names.
///
/// Its `:name` parameters take their `bindparams()` values.
///
/// Errors: `NotImplementedError` for a `:name` parameter `bindparams()`
/// gave no value (the tutor takes no `execute()` parameters for a
/// SELECT).
fn textual_subquery(t: &TextClause, name: Option<&Value>, cte: bool) -> PyResult<Value> {
    let (_, missing) =
        crate::sql::compiler::compile_text(&t.text, &t.binds, &crate::sql::dialect::SQLITE);
    if let Some(param) = missing {
        return Err(PyErr::unsupported(format!(
            "a subquery of a TextualSelect whose parameter '{param}' bindparams() gives no value"
        )));
    }
    let name = match name {
        None | Some(Value::None) => None,
        Some(Value::Str(n)) => Some(n.to_string()),
        Some(other) => {
            return Err(crate::python::exceptions::type_error(format!(
                "subquery() name must be a string, not {}",
                other.type_name()
            )));
        }
    };
    let columns = t.columns.clone().unwrap_or_default();
    super::subquery::textual_subquery(&t.text, &t.binds, &columns, name, cte)
}

const TEXT_COMPILE: Method<std::rc::Rc<TextClause>> = Method {
    name: "compile",
    params: &["bind=", "dialect=", "**kw"],
    call: |_, t, b| {
        let mut kwargs: Vec<(String, Value)> = b.varkw.clone();
        for key in ["bind", "dialect"] {
            if let Some(v) = b.given(key) {
                kwargs.push((key.to_string(), v.clone()));
            }
        }
        super::compiled::compile(
            super::compiled::Compilable::Text(t),
            "compile",
            Vec::new(),
            kwargs,
        )
    },
};

const TEXT_BINDPARAMS: Method<std::rc::Rc<TextClause>> = Method {
    name: "bindparams",
    params: &["*binds", "**names_to_values"],
    call: |_, t, b| {
        if !b.varargs.is_empty() {
            return Err(PyErr::unsupported(
                "bindparam() objects in TextClause.bindparams()",
            ));
        }
        let mut binds = t.binds.clone();
        for (k, v) in &b.varkw {
            binds.retain(|(n, _)| n != k);
            binds.push((k.clone(), expression::bind_value(v, None)?));
        }
        Ok(Value::native(TextClause {
            text: t.text.clone(),
            binds,
            columns: t.columns.clone(),
        }))
    },
};

/// `text(...)` as a value, when it is one.
pub fn as_text(v: &Value) -> Option<std::rc::Rc<TextClause>> {
    v.downcast::<TextClause>()
}

/// `EXISTS (SELECT …)` as a Boolean column expression (SQLAlchemy's
/// `Exists`), from `exists()`, `Select.exists()` or `Query.exists()`.
pub fn exists_value(select: Select) -> Value {
    expression::sql(Expr::Exists(Box::new(select)), Some(SqlType::Boolean))
}

/// The SELECT inside a `scalar_subquery()` value, for
/// `ScalarSelect.correlate()` / `.correlate_except()`.
fn scalar_select(v: &Value) -> Option<Select> {
    match v.downcast::<SqlExpr>()?.expr.clone() {
        Expr::ScalarSelect(select) => Some(*select),
        _ => None,
    }
}

/// The SELECT inside an `exists()` value, for `Exists.where()`.
fn exists_select(v: &Value) -> Option<Select> {
    match v.downcast::<SqlExpr>()?.expr.clone() {
        Expr::Exists(select) => Some(*select),
        _ => None,
    }
}

/// `remote(expr)` / `foreign(expr)`, as SQLAlchemy 2.0's
/// `sqlalchemy.orm.remote()` / `foreign()`: `expr` (a column, or an
/// expression whose columns are all marked) with the `remote` or `foreign`
/// annotation a relationship's `primaryjoin=` reads; it renders as `expr`.
///
/// Errors: `TypeError` for a missing argument; `ArgumentError` for a value
/// that is not a SQL expression.
fn annotate_columns(name: &str, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let remote = name == "remote";
    let b = Signature::function(if remote { "remote" } else { "foreign" }, &["expr"])
        .bind(args, kwargs)?;
    let mut e = coerce(b.required("expr")?, None)?;
    e.expr = e.expr.map_columns_deep(&|c| {
        let mut c = c.clone();
        if remote {
            c.annotations.remote = true;
        } else {
            c.annotations.foreign = true;
        }
        Some(Expr::Column(c))
    });
    Ok(Value::native(e))
}
