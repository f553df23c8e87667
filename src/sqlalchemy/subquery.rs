//! `Select.subquery()`: a named or anonymous `(SELECT …) AS name` to select
//! from and join to, with its column collection `.c` (SQLAlchemy's
//! `Subquery` and `ReadOnlyColumnCollection`).

use std::rc::Rc;

use crate::orm::expression::SqlExpr;
use crate::orm::query::{Entity, Query};
use crate::python::exceptions::attribute_error;
use crate::python::{Bound, ExcType, PyErr, PyObject, PyResult, Value};
use crate::sql::elements::{CompoundKeyword, Expr, Name, Selectable, Subquery};

use super::method::Method;
use crate::sql::schema::SqlType;

/// A subquery value: the SQL element, the keys of its columns (`.c.<key>`)
/// and their types (for result processing), and the statement it was made
/// from (for a CTE's `union_all()`, which restates it).
#[derive(Debug)]
pub struct SubqueryObj {
    pub subquery: Rc<Subquery>,
    pub keys: Vec<Option<String>>,
    pub types: Vec<Option<SqlType>>,
    pub query: Query,
    /// `sq.alias()` of a subquery (SQLAlchemy's `Alias`): the subquery it
    /// aliases, its `.element`.
    pub alias_of: Option<Rc<SubqueryObj>>,
}

/// `subquery.c`: the subquery's column collection.
#[derive(Debug)]
pub struct SubqueryColumns(pub Rc<SubqueryObj>);

impl PyObject for SubqueryObj {
    fn type_name(&self) -> String {
        if self.subquery.cte {
            "CTE"
        } else if is_values(self) {
            "Values"
        } else if self.subquery.table_function.is_some() {
            "TableValuedAlias"
        } else if self.subquery.lateral {
            "Lateral"
        } else if self.alias_of.is_some() {
            "Alias"
        } else {
            "Subquery"
        }
        .into()
    }
    /// SQLAlchemy 2.0's `ClauseElement.__repr__` with the alias's
    /// `description`: its name, `anon_1` for an anonymous subquery or
    /// CTE, `Anonymous alias of anon_1` for an anonymous lateral
    /// (`<sqlalchemy.sql.selectable.Subquery at 0x7f…; anon_1>`).
    fn repr(&self) -> String {
        let description = match &self.subquery.name {
            crate::sql::elements::Name::Fixed(name) => name.clone(),
            crate::sql::elements::Name::Anon(_)
                if self.subquery.lateral || self.subquery.table_function.is_some() =>
            {
                "Anonymous alias of anon_1".into()
            }
            crate::sql::elements::Name::Anon(_) => "anon_1".into(),
        };
        format!(
            "<sqlalchemy.sql.selectable.{} at {}; {description}>",
            self.type_name(),
            crate::python::format::address_of(self as *const Self)
        )
    }
    /// `print(subquery)` / `print(cte)`: its SELECT, as SQLAlchemy's string
    /// compiler renders the element on its own.
    fn str(&self) -> String {
        crate::sql::compiler::str_select(&self.subquery.select)
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl PyObject for SubqueryColumns {
    fn type_name(&self) -> String {
        "ReadOnlyColumnCollection".into()
    }
    fn repr(&self) -> String {
        let keys: Vec<String> = self
            .0
            .keys
            .iter()
            .map(|k| format!("'{}'", k.as_deref().unwrap_or("")))
            .collect();
        format!(
            "<sqlalchemy.sql.base.ReadOnlyColumnCollection object>[{}]",
            keys.join(", ")
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `Select.subquery(name=None)`: the SELECT (without eager loads) as a
/// FROM item named `name`, or `anon_N` when not named; with `cte`, as
/// `Select.cte(name=None, recursive=False)` (`WITH [RECURSIVE] name AS
/// (…)`).
pub fn subquery(q: &Query, name: Option<String>, cte: bool, recursive: bool) -> PyResult<Value> {
    Ok(Value::native(make_subquery(
        q,
        name.map(Name::Fixed),
        cte,
        recursive,
        None,
    )?))
}

/// `Select.lateral(name=None)`: the SELECT as a `LATERAL (…) AS name`
/// FROM item, which may refer to the FROMs before it (PostgreSQL; SQLite
/// refuses it when the statement runs).
pub fn lateral(q: &Query, name: Option<String>) -> PyResult<Value> {
    let mut made = make_subquery(q, name.map(Name::Fixed), false, false, None)?;
    let (select, _) = q.to_select_plain()?;
    let mut sq = Subquery::new(select, made.subquery.name.clone(), false);
    sq.lateral = true;
    made.subquery = Rc::new(sq);
    made.keys = crate::sql::compiler::subquery_keys(&made.subquery);
    Ok(Value::native(made))
}

/// The subquery or CTE value of `q`, named `name` (`anon` when `None`),
/// restating the CTE `restates` when given (`cte.union_all(…)`).
fn make_subquery(
    q: &Query,
    name: Option<Name>,
    cte: bool,
    recursive: bool,
    restates: Option<Rc<Subquery>>,
) -> PyResult<SubqueryObj> {
    let (select, _) = q.to_select_plain()?;
    let mut types = Vec::new();
    for e in &q.entities {
        match e {
            Entity::Mapper(m, ..) => {
                types.extend(m.table.columns.iter().map(|c| Some(c.sql_type.clone())))
            }
            Entity::Column(c) => types.push(c.ty.clone()),
            Entity::Bundle(b) => types.extend(b.exprs.iter().map(|c| c.ty.clone())),
        }
    }
    let mut subquery = Subquery::new(
        select,
        name.unwrap_or_else(|| Name::Anon("anon".into())),
        cte,
    );
    subquery.recursive = recursive;
    subquery.restates = restates;
    let subquery = Rc::new(subquery);
    let keys = crate::sql::compiler::subquery_keys(&subquery);
    Ok(SubqueryObj {
        subquery,
        keys,
        types,
        query: q.clone(),
        alias_of: None,
    })
}

/// The subquery (or CTE) of a `TextualSelect`: `text` rendered as written
/// inside `(…) AS name`, its columns named and typed as `columns`.
pub fn textual_subquery(
    text: &str,
    binds: &[(String, crate::sql::schema::SqlValue)],
    columns: &[crate::sql::elements::TextColumn],
    name: Option<String>,
    cte: bool,
) -> PyResult<Value> {
    let exprs = columns
        .iter()
        .map(|c| Expr::Label {
            name: Name::Fixed(c.name.clone()),
            expr: Box::new(Expr::LiteralColumn(c.name.clone())),
        })
        .collect();
    let mut select = crate::sql::elements::Select::new(
        exprs,
        crate::sql::elements::LabelStyle::DisambiguateOnly,
    );
    select.textual = Some(text.to_string());
    select.textual_binds = binds.to_vec();
    let subquery = Subquery::new(
        select,
        name.map_or_else(|| Name::Anon("anon".into()), Name::Fixed),
        cte,
    );
    Ok(Value::native(SubqueryObj {
        subquery: Rc::new(subquery),
        keys: columns.iter().map(|c| Some(c.name.clone())).collect(),
        types: columns.iter().map(|c| c.ty.clone()).collect(),
        query: Query::new(crate::orm::query::QueryStyle::Select, Vec::new()),
        alias_of: None,
    }))
}

/// `func.f(…).table_valued(*names, name=None)` (a `TableValuedAlias`) and
/// `func.f(…).column_valued(name=None)` (its one column, a
/// `TableValuedColumn`): the function as a FROM item `f(…) AS name`
/// (`anon_N` unless named) whose columns are `names` (`value` when none is
/// given), untyped.
///
/// Errors: `NotImplementedError` for a column given as other than its name.
pub fn table_valued(
    func: &Expr,
    names: &[Value],
    name: Option<String>,
    column_valued: bool,
) -> PyResult<Value> {
    let mut columns = Vec::new();
    for n in names {
        match n {
            Value::Str(s) => columns.push(s.to_string()),
            other => {
                return Err(PyErr::unsupported(format!(
                    "a table_valued() column given as {}",
                    other.type_name()
                )));
            }
        }
    }
    if columns.is_empty() {
        columns.push(if column_valued {
            name.clone().unwrap_or_else(|| "anon_1".into())
        } else {
            "value".into()
        });
    }
    let exprs = columns
        .iter()
        .map(|c| Expr::Label {
            name: Name::Fixed(c.clone()),
            expr: Box::new(Expr::LiteralColumn(c.clone())),
        })
        .collect();
    let select = crate::sql::elements::Select::new(
        exprs,
        crate::sql::elements::LabelStyle::DisambiguateOnly,
    );
    let mut subquery = Subquery::new(
        select,
        name.map_or_else(|| Name::Anon("anon".into()), Name::Fixed),
        false,
    );
    subquery.table_function = Some(crate::sql::elements::TableFunction {
        func: func.clone(),
        derived: false,
        column_valued,
        values: None,
    });
    let obj = SubqueryObj {
        subquery: Rc::new(subquery),
        keys: columns.iter().map(|c| Some(c.clone())).collect(),
        types: vec![None; columns.len()],
        query: Query::new(crate::orm::query::QueryStyle::Select, Vec::new()),
        alias_of: None,
    };
    if column_valued {
        let key = columns[0].clone();
        return obj.column(&key);
    }
    Ok(Value::native(obj))
}

/// `TableValuedAlias`'s methods, as SQLAlchemy 2.0's.
pub static TABLE_VALUED: &[Method<Rc<SubqueryObj>>] = &[Method {
    name: "render_derived",
    params: &["name=", "with_types="],
    call: |_, sq, b| {
        if b.flag("with_types", false) {
            return Err(PyErr::unsupported(
                "render_derived(with_types=True) (typed table_valued() columns)",
            ));
        }
        let Some(tf) = &sq.subquery.table_function else {
            return Err(attribute_error("render_derived"));
        };
        let name = match b.given("name") {
            Some(Value::Str(n)) => Name::Fixed(n.to_string()),
            _ => sq.subquery.name.clone(),
        };
        let mut subquery = Subquery::new(sq.subquery.select.clone(), name, false);
        subquery.table_function = Some(crate::sql::elements::TableFunction {
            func: tf.func.clone(),
            derived: true,
            column_valued: tf.column_valued,
            values: None,
        });
        Ok(Value::native(SubqueryObj {
            subquery: Rc::new(subquery),
            keys: sq.keys.clone(),
            types: sq.types.clone(),
            query: sq.query.clone(),
            alias_of: None,
        }))
    },
}];

/// `Subquery`'s methods, as SQLAlchemy 2.0's.
pub static SUBQUERY: &[Method<Rc<SubqueryObj>>] = &[ALIAS, SELECT, JOIN, OUTERJOIN];

/// `CTE`'s methods, as SQLAlchemy 2.0's.
pub static CTE: &[Method<Rc<SubqueryObj>>] = &[
    ALIAS,
    SELECT,
    JOIN,
    OUTERJOIN,
    Method {
        name: "union",
        params: &["*other"],
        call: |_, sq, b| cte_union(sq, &b, CompoundKeyword::Union),
    },
    Method {
        name: "union_all",
        params: &["*other"],
        call: |_, sq, b| cte_union(sq, &b, CompoundKeyword::UnionAll),
    },
];

/// `FromClause.select()`: `select(sq)`, a SELECT of every column of the
/// subquery or CTE.
const SELECT: Method<Rc<SubqueryObj>> = Method {
    name: "select",
    params: &[],
    call: |interp, sq, _| {
        interp.call(
            &Value::Builtin(crate::python::value::Builtin::Select),
            vec![Value::Native(sq.clone())],
            Vec::new(),
        )
    },
};

/// `FromClause.join(right, onclause=None, isouter=False, full=False)`: a
/// `Join` of the subquery or CTE and `right`.
const JOIN: Method<Rc<SubqueryObj>> = Method {
    name: "join",
    params: super::join::JOIN_PARAMS,
    call: |_, sq, b| super::join::from_join(&Value::Native(sq.clone()), &b, false),
};

/// `FromClause.outerjoin(right, onclause=None, full=False)`.
const OUTERJOIN: Method<Rc<SubqueryObj>> = Method {
    name: "outerjoin",
    params: super::join::OUTERJOIN_PARAMS,
    call: |_, sq, b| super::join::from_join(&Value::Native(sq.clone()), &b, true),
};

/// The method table and Python type name of a subquery value.
pub fn table_of(sq: &SubqueryObj) -> (&'static [Method<Rc<SubqueryObj>>], &'static str) {
    if sq.subquery.cte {
        (CTE, "CTE")
    } else if is_values(sq) {
        (VALUES, "Values")
    } else if sq.subquery.table_function.is_some() {
        (TABLE_VALUED, "TableValuedAlias")
    } else if sq.subquery.lateral {
        (SUBQUERY, "Lateral")
    } else if sq.alias_of.is_some() {
        (SUBQUERY, "Alias")
    } else {
        (SUBQUERY, "Subquery")
    }
}

/// `Subquery.alias(name=None, flat=False)` / `CTE.alias(…)`: the same
/// selectable under another name (`anon_N` when not named). A CTE's alias
/// renders `cte_name AS alias_name` and shares the CTE's WITH entry, as
/// SQLAlchemy's `CTE.alias()`; a subquery's renders its SELECT again.
const ALIAS: Method<Rc<SubqueryObj>> = Method {
    name: "alias",
    params: &["name=", "flat="],
    call: |_, sq, b| {
        let name = name_arg(b.given("name"), "alias")?;
        let mut alias = Subquery::new(sq.subquery.select.clone(), name, sq.subquery.cte);
        if sq.subquery.cte {
            alias.alias_of = Some(sq.subquery.clone());
        }
        Ok(Value::native(SubqueryObj {
            subquery: Rc::new(alias),
            keys: sq.keys.clone(),
            types: sq.types.clone(),
            query: sq.query.clone(),
            alias_of: (!sq.subquery.cte).then(|| sq.clone()),
        }))
    },
};

/// `CTE.union(*other)` / `CTE.union_all(*other)`: a new CTE of the same
/// name whose body is this CTE's SELECT joined with `other`, restating this
/// one (SQLAlchemy's `CTE._restates`): inside `other`, this CTE's name
/// refers to the new one, which makes the recursive form
/// `WITH RECURSIVE n(x) AS (anchor UNION ALL SELECT … FROM n …)`.
///
/// Errors: those of `union()` for the other selects; `NotImplementedError`
/// for a CTE that is itself an alias.
fn cte_union(sq: &Rc<SubqueryObj>, b: &Bound, keyword: CompoundKeyword) -> PyResult<Value> {
    if let Some(text) = &sq.subquery.select.textual {
        // `CTE._restates`'s assertion: a TextualSelect has no union
        return Err(PyErr::new(
            ExcType::AssertionError,
            format!("CTE element f{text} does not support {}()", keyword.name()),
        ));
    }
    if sq.subquery.alias_of.is_some() {
        return Err(PyErr::unsupported(format!(
            "{}() of an aliased CTE",
            keyword.name()
        )));
    }
    let mut selects = vec![sq.query.clone()];
    for v in &b.varargs {
        match super::query::as_query(v) {
            Some(q) if !q.is_legacy() => selects.push((*q).clone()),
            _ => {
                return Err(PyErr::new(
                    ExcType::ArgumentError,
                    format!(
                        "SELECT construct for inclusion in a UNION or other set construct expected, got {}.",
                        crate::python::format::repr_plain(v)
                    ),
                ));
            }
        }
    }
    let compound = Query::compound_of(keyword, selects)?;
    let made = make_subquery(
        &compound,
        Some(sq.subquery.name.clone()),
        true,
        sq.subquery.recursive,
        Some(sq.subquery.clone()),
    )?;
    Ok(Value::native(made))
}

impl SubqueryObj {
    /// The subquery as a FROM item.
    pub fn selectable(&self) -> Selectable {
        Selectable::Subquery(self.subquery.clone())
    }

    /// `sq.c.<key>`: the column of the subquery with that key.
    ///
    /// Errors: `AttributeError` as SQLAlchemy's for a key it lacks.
    pub fn column(&self, key: &str) -> PyResult<Value> {
        let i = self
            .keys
            .iter()
            .position(|k| k.as_deref() == Some(key))
            .ok_or_else(|| attribute_error(key.to_string()))?;
        let mut e = SqlExpr::new(
            Expr::column(&self.selectable(), i),
            self.types.get(i).cloned().flatten(),
        );
        e.key = Some(key.to_string());
        Ok(Value::native(e))
    }

    /// `sq.c.keys()`.
    pub fn keys_value(&self) -> Value {
        Value::list(
            self.keys
                .iter()
                .map(|k| Value::str(k.as_deref().unwrap_or("")))
                .collect(),
        )
    }
}

/// The `name=` of `alias()` / `values()`: fixed when given, anonymous
/// (`anon_N`) when `None` or left out.
///
/// Errors: `TypeError` for a name that is not a string.
fn name_arg(given: Option<&Value>, what: &str) -> PyResult<Name> {
    match given {
        Some(Value::Str(n)) => Ok(Name::Fixed(n.to_string())),
        Some(Value::None) | None => Ok(Name::Anon("anon".into())),
        Some(other) => Err(crate::python::exceptions::type_error(format!(
            "{what}() name must be a string, not {}",
            other.type_name()
        ))),
    }
}

/// Public attributes of SQLAlchemy 2.0's `Subquery`/`Alias`/`CTE` (from
/// `dir()`) the tutor does not model: `NotImplementedError`, not
/// `AttributeError`.
const SUBQUERY_ONLY_REAL: &[&str] = &[
    "allows_lambda",
    "as_scalar",
    "compare",
    "compile",
    "corresponding_column",
    "entity_namespace",
    "foreign_keys",
    "get_children",
    "implicit_returning",
    "inherit_cache",
    "is_clause_element",
    "is_derived_from",
    "is_dml",
    "is_selectable",
    "lateral",
    "memoized_attribute",
    "memoized_instancemethod",
    "named_with_column",
    "params",
    "primary_key",
    "replace_selectable",
    "schema",
    "selectable",
    "self_group",
    "stringify_dialect",
    "supports_execution",
    "table_valued",
    "tablesample",
    "unique_params",
    "uses_inspection",
];

/// `sq.<name>` for a subquery value: `.c`/`.columns`/`.exported_columns`,
/// `.name`/`.description`, `.element`/`.original` (the SELECT it was made
/// from; an `Alias`'s, the subquery it aliases).
///
/// Errors: `NotImplementedError` for SQLAlchemy's other attributes (and
/// the elements of a textual, table-valued or `Values` one);
/// `AttributeError` for names SQLAlchemy lacks too.
pub fn subquery_attr(obj: &Rc<SubqueryObj>, name: &str) -> PyResult<Value> {
    let type_name = obj.type_name();
    match name {
        "c" | "columns" | "exported_columns" => Ok(Value::native(SubqueryColumns(obj.clone()))),
        "name" => Ok(match &obj.subquery.name {
            Name::Fixed(n) => Value::str(n),
            // SQLAlchemy's `_anonymous_label`, keyed by the object's id
            Name::Anon(base) => Value::str(&format!(
                "%({} {base})s",
                (Rc::as_ptr(obj) as usize) & 0xffff_ffff_ffff
            )),
        }),
        "description" => Ok(match &obj.subquery.name {
            Name::Fixed(n) => Value::str(n),
            Name::Anon(_) => Value::str("anon_1"),
        }),
        "element" | "original" => {
            if let Some(base) = &obj.alias_of {
                return Ok(Value::Native(base.clone()));
            }
            let plain = !is_values(obj)
                && obj.subquery.table_function.is_none()
                && obj.subquery.select.textual.is_none();
            if plain {
                Ok(Value::native(obj.query.clone()))
            } else {
                Err(PyErr::unsupported(format!("{type_name}.{name}")))
            }
        }
        n if SUBQUERY_ONLY_REAL.contains(&n)
            || (obj.subquery.cte
                && ["recursive", "prefix_with", "suffix_with", "add_cte"].contains(&n)) =>
        {
            Err(PyErr::unsupported(format!("{type_name}.{n}")))
        }
        _ => Err(attribute_error(format!(
            "'{type_name}' object has no attribute '{name}'"
        ))),
    }
}

/// True for a `values(…)` FROM item (SQLAlchemy's `Values`).
fn is_values(sq: &SubqueryObj) -> bool {
    sq.subquery
        .table_function
        .as_ref()
        .is_some_and(|tf| tf.values.is_some())
}

/// `values(*columns, name=None, literal_binds=False)` / `Values(…)`, as
/// SQLAlchemy 2.0's `Values`: a FROM item of literal rows, given by
/// `.data([...])`, rendered `(VALUES (:param_1, :param_2), …) AS name (a,
/// b)`; its columns are `columns`' names and types.
///
/// Errors: `TypeError` for arguments that do not fit; `NotImplementedError`
/// for `literal_binds=True` and for columns other than `column(…)`.
pub fn values_call(args: Vec<Value>, kwargs: crate::python::vm::Kwargs) -> PyResult<Value> {
    let b = crate::python::Signature::function("values", &["*columns", "name=", "literal_binds="])
        .bind(args, kwargs)?;
    if b.flag("literal_binds", false) {
        return Err(PyErr::unsupported("values(literal_binds=True)"));
    }
    let name = name_arg(b.given("name"), "values")?;
    let mut columns = Vec::new();
    for c in &b.varargs {
        if let Some(column) = super::alembic::constructs::column_of(c) {
            columns.push(column);
            continue;
        }
        // a table's column (`user_table.c.id`): its name and type
        let table_column = c.downcast::<SqlExpr>().and_then(|e| match &e.expr {
            Expr::Column(r) => match &r.from {
                Selectable::Table(t) => t.columns.get(r.index).cloned(),
                _ => None,
            },
            _ => None,
        });
        columns.push(
            table_column
                .ok_or_else(|| PyErr::unsupported(format!("values() of a {}", c.type_name())))?,
        );
    }
    let exprs = columns
        .iter()
        .map(|c| Expr::Label {
            name: Name::Fixed(c.name.clone()),
            expr: Box::new(Expr::LiteralColumn(c.name.clone())),
        })
        .collect();
    let select = crate::sql::elements::Select::new(
        exprs,
        crate::sql::elements::LabelStyle::DisambiguateOnly,
    );
    let mut subquery = Subquery::new(select, name, false);
    subquery.table_function = Some(crate::sql::elements::TableFunction {
        func: Expr::Null,
        derived: true,
        column_valued: false,
        values: Some(crate::sql::elements::ValuesRows {
            rows: Vec::new(),
            alias: None,
        }),
    });
    Ok(Value::native(SubqueryObj {
        subquery: Rc::new(subquery),
        keys: columns.iter().map(|c| Some(c.name.clone())).collect(),
        types: columns.iter().map(|c| Some(c.sql_type.clone())).collect(),
        query: Query::new(crate::orm::query::QueryStyle::Select, Vec::new()),
        alias_of: None,
    }))
}

/// A copy of the `Values` `sq` with `rows` and `alias` (its subquery's
/// name kept).
fn values_with(sq: &SubqueryObj, rows: Vec<Vec<Expr>>, alias: Option<String>) -> PyResult<Value> {
    let mut subquery = Subquery::new(sq.subquery.select.clone(), sq.subquery.name.clone(), false);
    subquery.table_function = Some(crate::sql::elements::TableFunction {
        func: Expr::Null,
        derived: true,
        column_valued: false,
        values: Some(crate::sql::elements::ValuesRows { rows, alias }),
    });
    Ok(Value::native(SubqueryObj {
        subquery: Rc::new(subquery),
        keys: sq.keys.clone(),
        types: sq.types.clone(),
        query: sq.query.clone(),
        alias_of: None,
    }))
}

/// The rows and alias a `Values` holds.
fn values_parts(sq: &SubqueryObj) -> (Vec<Vec<Expr>>, Option<String>) {
    match sq
        .subquery
        .table_function
        .as_ref()
        .and_then(|tf| tf.values.as_ref())
    {
        Some(v) => (v.rows.clone(), v.alias.clone()),
        None => (Vec::new(), None),
    }
}

/// `Values`' methods, as SQLAlchemy 2.0's: `data(rows)` adds rows (each a
/// tuple of values, bound as `:param_N` of the column's type),
/// `alias(name)` names it in its `AS` clause.
pub static VALUES: &[Method<Rc<SubqueryObj>>] = &[
    Method {
        name: "data",
        params: &["values"],
        call: |_, sq, b| {
            let (mut rows, alias) = values_parts(sq);
            let given = b.required("values")?;
            let not_rows =
                || crate::python::exceptions::type_error("Values.data() takes a list of tuples");
            let items = crate::python::ops::sequence_items(given).ok_or_else(not_rows)?;
            for item in items {
                let values = crate::python::ops::sequence_items(&item).ok_or_else(not_rows)?;
                let mut row = Vec::with_capacity(values.len());
                for (i, v) in values.iter().enumerate() {
                    let ty = sq.types.get(i).cloned().flatten();
                    let mut bind = crate::sql::elements::BindValue::new(
                        crate::orm::expression::bind_value(v, ty.as_ref())?,
                    );
                    bind.key = Some("param");
                    row.push(Expr::Bind(bind));
                }
                rows.push(row);
            }
            values_with(sq, rows, alias)
        },
    },
    Method {
        name: "alias",
        params: &["name=", "flat="],
        call: |_, sq, b| {
            let (rows, _) = values_parts(sq);
            let alias = match b.given("name") {
                Some(Value::Str(n)) => Some(n.to_string()),
                _ => return Err(PyErr::unsupported("Values.alias() without a name")),
            };
            values_with(sq, rows, alias)
        },
    },
];
