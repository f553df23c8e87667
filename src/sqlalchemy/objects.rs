//! The Python faces of SQLAlchemy's objects that the ORM defines: each
//! type's `type(x).__name__`, its `repr` and its truth, through
//! [`crate::python::PyObject`], so `python/` can hold them as
//! [`crate::python::Value::Native`] without knowing them.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use crate::orm::bulk::DmlStatement;
use crate::orm::mapper::Registry;
use crate::orm::query::{Query, QueryStyle};
use crate::orm::result::ResultObj;
use crate::orm::schema_items::SchemaItem;
use crate::orm::session::Session;
use crate::orm::state::Obj;
use crate::orm::strategy_options::LoaderOption;
use crate::python::{PyObject, Value};

/// `session.begin()`'s `SessionTransaction`, a context manager.
#[derive(Debug)]
pub struct SessionTransaction(pub Rc<Session>);

/// `session.no_autoflush`, a context manager.
#[derive(Debug)]
pub struct NoAutoflush(pub Rc<Session>);

/// `inspect(obj)`: the object's `InstanceState`.
#[derive(Debug)]
pub struct InstanceState(pub Obj);

/// An `Engine`: the fixture's (bound as `engine` at start) or one a
/// learner made with `create_engine(url)`, each over its own database.
#[derive(Debug)]
pub struct Engine(
    pub crate::orm::session::EngineRef,
    pub Rc<crate::engine::Database>,
);

/// `Rc<Self>` as `Rc<dyn Any>`, the one line every impl shares.
macro_rules! into_any {
    () => {
        fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
            self
        }
    };
}

impl PyObject for SessionTransaction {
    fn type_name(&self) -> String {
        "SessionTransaction".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.session.SessionTransaction object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    into_any!();
}

impl PyObject for NoAutoflush {
    fn type_name(&self) -> String {
        "_GeneratorContextManager".into()
    }
    fn repr(&self) -> String {
        format!(
            "<contextlib._GeneratorContextManager object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    into_any!();
}

impl PyObject for InstanceState {
    fn type_name(&self) -> String {
        "InstanceState".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.state.InstanceState object at 0x{:012x}>",
            self.0.borrow().address + 8
        )
    }
    into_any!();
}

impl PyObject for Engine {
    fn type_name(&self) -> String {
        "Engine".into()
    }
    fn repr(&self) -> String {
        format!("Engine({})", self.0.url)
    }
    into_any!();
}

impl PyObject for DmlStatement {
    fn type_name(&self) -> String {
        self.python_type_name().into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.sql.dml.{} object at {}>",
            self.python_type_name(),
            crate::python::format::address_of(self as *const Self)
        )
    }
    /// `str(stmt)`: the statement compiled by SQLAlchemy's default string
    /// dialect (`UPDATE users SET name=:name WHERE users.id = :id_1`).
    /// An UPDATE without values sets every column (`SET id=:id, name=:name
    /// …`), and an INSERT without `values()` lists every column (`INSERT
    /// INTO t (id, name) VALUES (:id, :name)`), as SQLAlchemy's compiler
    /// renders them with no parameters given.
    fn str(&self) -> String {
        let compiled = match self.kind {
            crate::orm::bulk::DmlKind::Update if self.values.is_empty() => {
                let mut all = self.clone();
                all.values = (0..self.table.columns.len())
                    .map(|i| {
                        let bind = crate::sql::elements::Expr::Bind(
                            crate::sql::schema::SqlValue::Null.into(),
                        );
                        (i, crate::orm::expression::sql(bind, None))
                    })
                    .collect();
                all.compile(&crate::sql::dialect::STR)
            }
            // `insert(t)` with no `values()`: every column, each bound
            // under its key (`crud._get_crud_params` with no parameters).
            crate::orm::bulk::DmlKind::Insert
                if !self.values_called && self.values.is_empty() && self.from_select.is_none() =>
            {
                let mut all = self.clone();
                all.values = (0..self.table.columns.len())
                    .map(|i| (i, crate::python::Value::None))
                    .collect();
                all.compile(&crate::sql::dialect::STR)
            }
            // a dialect's own `insert()` compiles with its dialect
            _ => match self.dialect_insert {
                Some("sqlite") => self.compile_display(&crate::sql::dialect::SQLITE),
                Some(_) => self.compile_display(&crate::sql::dialect::POSTGRESQL),
                None => self.compile(&crate::sql::dialect::STR),
            },
        };
        match compiled {
            Ok(c) => c.sql,
            Err(_) => self.repr(),
        }
    }
    into_any!();
}

impl PyObject for crate::sql::elements::TextClause {
    /// `TextualSelect` once `.columns(…)` named its columns.
    fn type_name(&self) -> String {
        if self.columns.is_some() {
            "TextualSelect"
        } else {
            "TextClause"
        }
        .into()
    }
    fn repr(&self) -> String {
        let at = crate::python::format::address_of(self as *const Self);
        if self.columns.is_some() {
            return format!("<sqlalchemy.sql.selectable.TextualSelect object at {at}>");
        }
        format!("<sqlalchemy.sql.elements.TextClause object at {at}>")
    }
    /// `str(text(...))`: the text as written.
    fn str(&self) -> String {
        self.text.clone()
    }
    into_any!();
}

impl PyObject for LoaderOption {
    /// `_WildcardLoad` for `raiseload("*")` and `undefer_group("g")`,
    /// `Load` for an option along attributes, as SQLAlchemy 2.0's classes.
    fn type_name(&self) -> String {
        use crate::orm::strategy_options::ColumnOption;
        let wildcard = self.path.is_empty()
            && (self.wildcard.is_some()
                || matches!(
                    self.column,
                    Some(
                        ColumnOption::UndeferAll
                            | ColumnOption::DeferAll(_)
                            | ColumnOption::UndeferGroup(_)
                    )
                ));
        if self.loader_criteria.is_some() {
            return "LoaderCriteriaOption".into();
        }
        if wildcard { "_WildcardLoad" } else { "Load" }.into()
    }
    fn repr(&self) -> String {
        if self.loader_criteria.is_some() {
            return format!(
                "<sqlalchemy.orm.util.LoaderCriteriaOption object at {}>",
                crate::python::format::address_of(self as *const Self)
            );
        }
        self.code()
    }
    into_any!();
}

impl PyObject for SchemaItem {
    fn type_name(&self) -> String {
        self.python_type_name()
    }
    /// A type's `str()` is its DDL on the default dialect (`VARCHAR(30)`),
    /// as SQLAlchemy's `TypeEngine.__str__`; the rest as `repr()`.
    fn str(&self) -> String {
        match self {
            SchemaItem::Type(t) | SchemaItem::CheckedEnum(t, _) => t.ddl(),
            _ => self.repr(),
        }
    }
    fn repr(&self) -> String {
        match self {
            SchemaItem::Metadata(_) => "MetaData()".into(),
            SchemaItem::Type(t) | SchemaItem::CheckedEnum(t, _) => t.python_repr(),
            // `util.generic_repr`: the arguments not left at their defaults.
            SchemaItem::Sequence(s, metadata) => {
                let schema = s.schema.as_deref().map_or(String::new(), |v| {
                    format!(", schema={}", crate::python::value::str_repr(v))
                });
                let mut after_cache = String::new();
                if let Some(order) = s.order {
                    after_cache.push_str(if order {
                        ", order=True"
                    } else {
                        ", order=False"
                    });
                }
                if let Some(t) = &s.data_type {
                    after_cache.push_str(&format!(", data_type={}", t.python_repr()));
                }
                format!(
                    "Sequence({}{}{}{})",
                    crate::python::value::str_repr(&s.name),
                    s.options.repr_args_around(schema, after_cache),
                    if s.optional { ", optional=True" } else { "" },
                    if metadata.is_some() {
                        ", metadata=MetaData()"
                    } else {
                        ""
                    }
                )
            }
            SchemaItem::Identity(i) => {
                let mut args = Vec::new();
                if i.always {
                    args.push("always=True".to_string());
                }
                if let Some(on_null) = i.on_null {
                    args.push(format!(
                        "on_null={}",
                        if on_null { "True" } else { "False" }
                    ));
                }
                let options = i.options.repr_args();
                if let Some(options) = options.strip_prefix(", ") {
                    args.push(options.to_string());
                }
                format!("Identity({})", args.join(", "))
            }
            // `MapperProperty.__repr__`: no key before its class maps it.
            SchemaItem::Relationship(_) => format!(
                "<_RelationshipDeclared at {}; no key>",
                crate::python::format::address_of(self as *const Self)
            ),
            SchemaItem::ForeignKey(fk) => super::table_items::foreign_key_repr(fk),
            _ => format!("<{}>", self.python_type_name()),
        }
    }
    into_any!();
}

impl PyObject for Registry {
    fn type_name(&self) -> String {
        "DeclarativeMeta".into()
    }
    /// `declarative_base()`'s class is `sqlalchemy.orm.decl_api.Base`; a
    /// `class Base(DeclarativeBase)` is the learner's own.
    fn repr(&self) -> String {
        match &self.class_name {
            Some(n) => format!("<class '__main__.{n}'>"),
            None => "<class 'sqlalchemy.orm.decl_api.Base'>".into(),
        }
    }
    /// A mapped instance is an instance of its declarative base.
    fn instancecheck(&self, v: &Value) -> bool {
        crate::orm::state::as_instance(v).as_ref().is_some_and(|o| {
            o.borrow()
                .mapper
                .registry
                .upgrade()
                .is_some_and(|r| std::ptr::eq(Rc::as_ptr(&r), self))
        })
    }
    /// A mapped class is a subclass of its declarative base, and the base of
    /// itself.
    fn subclasscheck(&self, cls: &Value) -> bool {
        match cls {
            v if let Some(m) = as_class(v) => m
                .registry
                .upgrade()
                .is_some_and(|r| std::ptr::eq(Rc::as_ptr(&r), self)),
            Value::Native(n) => std::ptr::addr_eq(Rc::as_ptr(n), self as *const Registry),
            _ => false,
        }
    }
    into_any!();
}

/// `session.execute(...)`'s `Result` (`ScalarResult`, `CursorResult`).
impl PyObject for RefCell<ResultObj> {
    fn type_name(&self) -> String {
        self.borrow().python_type_name().into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.engine.result.{} object at {}>",
            self.borrow().python_type_name(),
            crate::python::format::address_of(self as *const Self)
        )
    }
    /// A Core result at `echo="debug"` is iterated a row at a time, so each
    /// row's `Row (...)` line comes as the loop reaches it.
    fn is_iterator(&self) -> bool {
        self.borrow().iterates_lazily()
    }
    fn next_item(&self, _vm: &mut dyn crate::python::Vm) -> crate::python::PyResult<Option<Value>> {
        self.borrow_mut().next_row()
    }
    into_any!();
}

/// `sqlalchemy.orm.Session`.
impl PyObject for Session {
    fn type_name(&self) -> String {
        "Session".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.session.Session object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    into_any!();
}

/// `session.query(...)` (a legacy `Query`) or `select(...)` (a `Select`).
impl PyObject for Query {
    fn type_name(&self) -> String {
        self.python_type_name().into()
    }
    fn repr(&self) -> String {
        let module = match self.python_type_name() {
            "AppenderQuery" => "sqlalchemy.orm.dynamic.AppenderQuery",
            "Query" => "sqlalchemy.orm.query.Query",
            "CompoundSelect" => "sqlalchemy.sql.selectable.CompoundSelect",
            _ => "sqlalchemy.sql.selectable.Select",
        };
        format!(
            "<{module} object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    /// `str(stmt)`: a `select()` in SQLAlchemy's default dialect
    /// (`:name_1` parameters); a legacy `Query` is bound to the session's
    /// engine and prints that dialect's form.
    fn str(&self) -> String {
        match (self.to_select(), &self.style) {
            (Ok((select, _)), QueryStyle::Legacy(s)) => {
                crate::sql::compiler::compile_select(&select, s.dialect()).sql
            }
            (Ok((select, _)), _) => crate::sql::compiler::str_select(&select),
            (Err(e), _) => e.message,
        }
    }
    /// A `select()` is true; a legacy `Query`'s truth is its own (no
    /// `__bool__`, so true as well).
    fn truthy(&self) -> bool {
        true
    }
    into_any!();
}

/// A Core `Table` (`user_groups`, `User.__table__`).
impl PyObject for crate::sql::schema::Table {
    fn type_name(&self) -> String {
        "Table".into()
    }
    /// As SQLAlchemy's `Table.__repr__`: its name, `MetaData()`, each
    /// column's `repr()`, `schema=None`.
    fn repr(&self) -> String {
        let mut parts = vec![
            crate::sqlalchemy::alembic::autogenerate::py_str(&self.name),
            "MetaData()".to_string(),
        ];
        parts.extend((0..self.columns.len()).map(|i| column_repr(self, i)));
        parts.push("schema=None".into());
        format!("Table({})", parts.join(", "))
    }
    /// `str(table)` is its name, as SQLAlchemy's.
    fn str(&self) -> String {
        self.name.clone()
    }
    into_any!();
}

/// `v` as a Core `Table`, when it is one.
pub fn as_table(v: &Value) -> Option<crate::sql::schema::TableRef> {
    v.downcast::<crate::sql::schema::Table>()
}

/// A SQL column expression (`User.name == "Bob"`, `func.count(User.id)`).
/// SQLAlchemy's `NullType()`: the type of an expression of no known type
/// (`func.lower(x).type`).
#[derive(Debug)]
pub struct NullType;

impl PyObject for NullType {
    fn type_name(&self) -> String {
        "NullType".into()
    }
    fn repr(&self) -> String {
        "NullType()".into()
    }
    into_any!();
}

/// `repr(t.c.name)`, as SQLAlchemy's `Column.__repr__`: `Column('name',
/// String(length=30), ForeignKey('a.id'), table=<t>, primary_key=True,
/// nullable=False, default=…)`.
pub fn column_repr(table: &crate::sql::schema::Table, i: usize) -> String {
    use crate::sql::schema::ColumnDefault;
    let py_str = crate::sqlalchemy::alembic::autogenerate::py_str;
    let Some(c) = table.columns.get(i) else {
        return "Column()".into();
    };
    let ty = match &c.face.reflected_type {
        Some((class, args)) => super::inspector::ReflectedType {
            class: class.clone(),
            args: args.clone(),
        }
        .repr(),
        None => crate::sqlalchemy::alembic::autogenerate::render_type(&c.sql_type),
    };
    let mut parts = vec![
        py_str(&c.name),
        ty.strip_prefix("sa.").unwrap_or(&ty).to_string(),
    ];
    if let Some(fk) = &c.foreign_key {
        parts.push(format!(
            "ForeignKey({})",
            py_str(&format!("{}.{}", fk.table, fk.column))
        ));
    }
    parts.push(format!("table=<{}>", table.name));
    if c.primary_key {
        parts.push("primary_key=True".into());
    }
    if !c.nullable {
        parts.push("nullable=False".into());
    }
    let default_repr = |d: &ColumnDefault| super::table_items::default_repr(c, d).1;
    if let Some(d) = &c.onupdate {
        parts.push(format!("onupdate={}", default_repr(d)));
    }
    if let Some(d) = &c.default {
        parts.push(format!("default={}", default_repr(d)));
    }
    if let Some(arg) = &c.face.server_default {
        parts.push(format!(
            "server_default={}",
            super::table_items::default_clause_repr(arg, false)
        ));
    }
    if let Some(comment) = &c.face.comment {
        parts.push(format!("comment={}", py_str(comment)));
    }
    format!("Column({})", parts.join(", "))
}

/// SQLAlchemy 2.0's `BindParameter.__repr__`: `BindParameter('b', None,
/// type_=NullType())`, an anonymous one (`literal(5)`) keyed `'%(140… param)s'`;
/// `None` for other expressions.
fn bind_parameter_repr(e: &crate::orm::expression::SqlExpr) -> Option<String> {
    use crate::sql::elements::Expr;
    let (key, value) = match &e.expr {
        Expr::Bind(b) => (
            format!("%({} {})s", b.id, b.key.unwrap_or("param")),
            &b.value,
        ),
        Expr::BindParam { key, value, unique } => (
            if *unique {
                format!("%({} {key})s", e.id)
            } else {
                key.clone()
            },
            value,
        ),
        _ => return None,
    };
    let repr = crate::python::format::repr_plain;
    let value = repr(&crate::orm::expression::result_value(value, e.ty.as_ref()));
    let ty = match &e.ty {
        Some(t) => repr(&Value::native(SchemaItem::Type(t.clone()))),
        None => "NullType()".to_string(),
    };
    Some(format!(
        "BindParameter({}, {value}, type_={ty})",
        repr(&Value::str(&key))
    ))
}

impl PyObject for crate::orm::expression::SqlExpr {
    fn type_name(&self) -> String {
        self.python_type_name().into()
    }
    /// A table's column shows as SQLAlchemy's `Column.__repr__`; other
    /// expressions as SQLAlchemy 2.0's `ClauseElement.__repr__`: with
    /// their [`SqlExpr::description`] (`<sqlalchemy.sql.elements.Label at
    /// 0x7f…; m>`) or as Python's default (`<… object at 0x7f…>`).
    fn repr(&self) -> String {
        if let crate::sql::elements::Expr::Column(c) = &self.expr
            && let crate::sql::elements::Selectable::Table(t) = &c.from
        {
            return column_repr(t, c.index);
        }
        if let Some(r) = bind_parameter_repr(self) {
            return r;
        }
        let at = crate::python::format::address_of(self as *const Self);
        let (module, name) = (self.python_module(), self.python_type_name());
        match self.description() {
            Some(d) => format!("<{module}.{name} at {at}; {d}>"),
            None => format!("<{module}.{name} object at {at}>"),
        }
    }
    /// `str(expr)`: SQLAlchemy's default dialect (`:name_1` parameters).
    fn str(&self) -> String {
        crate::sql::compiler::str_expression(&self.expr)
    }
    /// `expr["key"]` on a `JSON` expression (`JSON.Comparator.__getitem__`).
    fn get_item(&self, key: &Value) -> Option<crate::python::PyResult<Value>> {
        (self.ty == Some(crate::sql::schema::SqlType::Json))
            .then(|| crate::sqlalchemy::core::json_getitem(self, key))
    }
    into_any!();
}

/// A mapped attribute on the class (`User.name`, `User.messages`).
impl PyObject for crate::orm::mapper::AttrRef {
    /// `QueryableAttribute` for `User.messages.of_type(alias)`.
    fn type_name(&self) -> String {
        if self.of_type.is_some() {
            "QueryableAttribute".into()
        } else {
            "InstrumentedAttribute".into()
        }
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.attributes.InstrumentedAttribute object at {}>",
            crate::python::format::address_of(self as *const Self),
        )
    }
    /// `str(User.name)` is `User.name`; through an alias,
    /// `aliased(User).name`.
    fn str(&self) -> String {
        match &self.alias {
            Some(_) => format!("aliased({}).{}", self.mapper.class_name, self.key),
            None => self.qualified_name(),
        }
    }
    into_any!();
}

/// A mapped class (`User`).
impl PyObject for crate::orm::mapper::Mapper {
    fn type_name(&self) -> String {
        "DeclarativeMeta".into()
    }
    /// `<class 'chat.User'>` for a fixture's model (the oracle imports
    /// them from the fixture's module), `<class '__main__.User'>` for the
    /// learner's.
    fn repr(&self) -> String {
        format!("<class '{}.{}'>", self.module, self.class_name)
    }
    /// An instance of this class (no inheritance between mapped classes).
    fn instancecheck(&self, v: &Value) -> bool {
        crate::orm::state::as_instance(v)
            .as_ref()
            .is_some_and(|o| std::ptr::eq(Rc::as_ptr(&o.borrow().mapper), self))
    }
    /// `issubclass(User, User)`.
    fn subclasscheck(&self, cls: &Value) -> bool {
        as_class(cls).is_some_and(|m| std::ptr::eq(Rc::as_ptr(&m), self))
    }
    into_any!();
}

/// `v` as a mapped class, when it is one.
pub fn as_class(v: &Value) -> Option<Rc<crate::orm::mapper::Mapper>> {
    v.downcast::<crate::orm::mapper::Mapper>()
}
