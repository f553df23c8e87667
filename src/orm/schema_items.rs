//! The pieces of a model declaration before they are mapped: `Column(...)`,
//! `ForeignKey(...)`, `relationship(...)`, column types and `Base.metadata`,
//! as the interpreter builds them while running a `class X(Base):` body.

use std::rc::Rc;

use crate::python::value::Value;
use crate::sql::schema::{Column, ForeignKey, SqlType};

use super::mapper::{Cascade, Lazy, Registry};

/// `relationship("Message", back_populates="user", ...)` as declared.
#[derive(Debug, Clone)]
pub struct RelationshipDecl {
    /// The target class name.
    pub target: String,
    pub secondary: Option<String>,
    pub back_populates: Option<String>,
    /// `backref="name"` or `backref=backref("name", ...)`: the name of the
    /// relationship to create on the target.
    pub backref: Option<String>,
    /// `backref=backref("name", remote_side=[id], ...)`: the arguments
    /// given for the relationship made on the target (as a declaration
    /// whose target and `back_populates` are filled in when it is made).
    pub backref_args: Option<Box<RelationshipDecl>>,
    pub uselist: Option<bool>,
    pub lazy: Lazy,
    /// `order_by=`: an attribute, a string like `"Message.id"`, or a list.
    pub order_by: Option<Value>,
    pub cascade: Cascade,
    pub viewonly: bool,
    /// `passive_deletes=True` / `"all"`: a deleted parent's unloaded
    /// children are left to the database's `ON DELETE` (not loaded, not
    /// deleted or nulled by the ORM); with `"all"` not even loaded ones
    /// are nulled.
    pub passive_deletes: PassiveDeletes,
    /// `foreign_keys=[Letter.sender_id]` (or `"Letter.sender_id"`): the only
    /// columns counted as referencing the other table.
    pub foreign_keys: Vec<ColumnRef>,
    /// `remote_side=[id]`: on a self-referential relationship, the columns
    /// on the "remote" side (the primary key makes it many-to-one).
    pub remote_side: Vec<ColumnRef>,
    /// `primaryjoin=`: a string SQLAlchemy evaluates in the class registry,
    /// a lambda, or a SQL expression; the interpreter evaluates the first
    /// two once the classes they name exist (`Relationship::primaryjoin`).
    pub primaryjoin: Option<Value>,
    /// `secondaryjoin=` of a many-to-many (`secondary=`): the target's side
    /// of the association table, in the same forms as `primaryjoin`
    /// (`Relationship::secondaryjoin`).
    pub secondaryjoin: Option<Value>,
    /// The dataclass arguments (`default_factory=list`, `repr=False`, …).
    pub options: AttributeOptions,
}

/// `relationship(passive_deletes=...)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PassiveDeletes {
    /// `False`, the default: the ORM loads a deleted parent's children.
    #[default]
    Off,
    /// `True`: only children already loaded are handled by the ORM.
    On,
    /// `"all"`: children's foreign keys are never nulled by the ORM.
    All,
}

/// A column named by `foreign_keys=` or `remote_side=`.
#[derive(Debug, Clone)]
pub enum ColumnRef {
    /// A column object of the class body being run (`[sender_id]`): its
    /// key is found when the class is mapped.
    Declared(Value),
    /// `Class.attr`, from a string or a mapped attribute.
    Named { class: String, key: String },
}

/// `mapped_column(...)` as declared: the column so far, and which of its
/// parts the call gave (the rest come from the annotation, as SQLAlchemy
/// 2.0's `MappedColumn.declarative_scan`).
#[derive(Debug, Clone)]
pub struct MappedColumnDecl {
    pub column: Column,
    /// The name given as the first argument, if any.
    pub name: Option<String>,
    /// A type was given (`mapped_column(String(30))`).
    pub typed: bool,
    /// `nullable=` was given.
    pub nullable_given: bool,
    /// The dataclass arguments (`init=`, `default=`, …).
    pub options: AttributeOptions,
}

/// The dataclass arguments of `mapped_column()` and `relationship()`, as
/// SQLAlchemy 2.0's `_AttributeOptions`: each `None` when not given.
/// `default` is `Some(Value::None)` for `default=None`.
#[derive(Debug, Clone, Default)]
pub struct AttributeOptions {
    pub init: Option<bool>,
    pub repr: Option<bool>,
    pub compare: Option<bool>,
    pub kw_only: Option<bool>,
    pub default: Option<Value>,
    pub default_factory: Option<Value>,
}

impl AttributeOptions {
    /// The options among `kwargs` (`init`, `repr`, `compare`, `kw_only`,
    /// `default`, `default_factory`).
    pub fn from_kwargs(kwargs: &[(String, Value)]) -> AttributeOptions {
        let get = |k: &str| kwargs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let flag = |k: &str| get(k).map(|v| v.truthy());
        AttributeOptions {
            init: flag("init"),
            repr: flag("repr"),
            compare: flag("compare"),
            kw_only: flag("kw_only"),
            default: get("default"),
            default_factory: get("default_factory"),
        }
    }

    /// Whether any dataclass argument was given.
    pub fn any(&self) -> bool {
        self.init.is_some()
            || self.repr.is_some()
            || self.compare.is_some()
            || self.kw_only.is_some()
            || self.default.is_some()
            || self.default_factory.is_some()
    }
}

/// The class keywords of a `MappedAsDataclass` class (`class Base(
/// MappedAsDataclass, DeclarativeBase, kw_only=True)`, `class A(Base,
/// repr=False)`), as SQLAlchemy 2.0's `_DataclassArguments`: each `None`
/// when not given; a class's own keywords override those it inherits
/// (`MappedAsDataclass.__init_subclass__`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataclassArguments {
    pub init: Option<bool>,
    pub repr: Option<bool>,
    pub eq: Option<bool>,
    pub order: Option<bool>,
    pub unsafe_hash: Option<bool>,
    pub match_args: Option<bool>,
    pub kw_only: Option<bool>,
}

impl DataclassArguments {
    /// The class keywords `MappedAsDataclass.__init_subclass__` takes.
    pub const KEYWORDS: &[&str] = &[
        "init",
        "repr",
        "eq",
        "order",
        "unsafe_hash",
        "match_args",
        "kw_only",
        "dataclass_callable",
    ];

    /// The arguments among a class statement's keywords.
    ///
    /// Errors: `TypeError` for another keyword, as `object.__init_subclass__`
    /// raises it (`A.__init_subclass__() takes no keyword arguments`);
    /// `NotImplementedError` for `dataclass_callable=`.
    pub fn from_keywords(
        class: &str,
        keywords: &[(String, Value)],
    ) -> crate::python::PyResult<DataclassArguments> {
        let mut out = DataclassArguments::default();
        for (k, v) in keywords {
            let slot = match k.as_str() {
                "init" => &mut out.init,
                "repr" => &mut out.repr,
                "eq" => &mut out.eq,
                "order" => &mut out.order,
                "unsafe_hash" => &mut out.unsafe_hash,
                "match_args" => &mut out.match_args,
                "kw_only" => &mut out.kw_only,
                "dataclass_callable" => {
                    return Err(crate::python::PyErr::unsupported(
                        "dataclass_callable= on a MappedAsDataclass class",
                    ));
                }
                _ => return Err(no_class_keywords(class)),
            };
            *slot = Some(v.truthy());
        }
        Ok(out)
    }

    /// `self`'s arguments, and `inherited`'s where `self` gives none.
    pub fn merged(&self, inherited: &DataclassArguments) -> DataclassArguments {
        DataclassArguments {
            init: self.init.or(inherited.init),
            repr: self.repr.or(inherited.repr),
            eq: self.eq.or(inherited.eq),
            order: self.order.or(inherited.order),
            unsafe_hash: self.unsafe_hash.or(inherited.unsafe_hash),
            match_args: self.match_args.or(inherited.match_args),
            kw_only: self.kw_only.or(inherited.kw_only),
        }
    }
}

/// `TypeError: A.__init_subclass__() takes no keyword arguments`: what
/// `object.__init_subclass__` raises for class keywords no base takes.
pub fn no_class_keywords(class: &str) -> crate::python::PyErr {
    crate::python::PyErr::new(
        crate::python::ExcType::TypeError,
        format!("{class}.__init_subclass__() takes no keyword arguments"),
    )
}

/// One field of a `MappedAsDataclass` class, as Python's
/// `dataclasses.Field`: what the generated `__init__`, `__repr__` and
/// `__eq__` do with the attribute `key`.
#[derive(Debug, Clone)]
pub struct DataclassField {
    pub key: String,
    pub init: bool,
    pub repr: bool,
    pub compare: bool,
    pub kw_only: bool,
    pub default: Option<Value>,
    pub default_factory: Option<Value>,
}

impl DataclassField {
    /// The field for attribute `key` declared with `options`, in a class
    /// whose `kw_only=` is `class_kw_only` (a field's own `kw_only=` wins).
    pub fn new(key: &str, options: &AttributeOptions, class_kw_only: bool) -> DataclassField {
        DataclassField {
            key: key.to_string(),
            init: options.init.unwrap_or(true),
            repr: options.repr.unwrap_or(true),
            compare: options.compare.unwrap_or(true),
            kw_only: options.kw_only.unwrap_or(class_kw_only),
            default: options.default.clone(),
            default_factory: options.default_factory.clone(),
        }
    }

    /// Whether `__init__` can leave the field out.
    pub fn has_default(&self) -> bool {
        self.default.is_some() || self.default_factory.is_some()
    }
}

/// One piece of a declaration.
#[derive(Debug, Clone)]
pub enum SchemaItem {
    /// `Integer`, `String(100)`, …
    Type(SqlType),
    /// `Enum("a", "b", create_constraint=True, name=…)`: the type and the
    /// name of its `CHECK` constraint (`None`: unnamed).
    CheckedEnum(SqlType, Option<String>),
    ForeignKey(ForeignKey),
    /// `Column(...)`: its name is `None` until the class body assigns it.
    Column(Column, Option<String>),
    /// `mapped_column(...)`: a column whose type and nullability may come
    /// from its `Mapped[...]` annotation.
    MappedColumn(MappedColumnDecl),
    Relationship(RelationshipDecl),
    /// `backref("name", ...)`: the name and the other arguments, as a
    /// `relationship()` declaration without a target.
    Backref(String, Box<RelationshipDecl>),
    /// `Base.metadata` or `MetaData()`
    Metadata(Rc<Registry>),
    /// `Index("ix_name", "col", …, unique=…)`, waiting for its table.
    Index(crate::sql::schema::Index),
    /// `UniqueConstraint(...)`, `CheckConstraint(...)`
    Constraint(crate::sql::schema::TableConstraint),
    /// `column_property(expr, deferred=…)` / `query_expression()` (no
    /// expression), waiting for its class: the expression is over the class
    /// body's own column objects
    /// ([`super::expression::declared_column_expr`]) or other classes'
    /// mapped columns.
    ColumnProperty {
        expr: Option<super::expression::SqlExpr>,
        deferred: bool,
    },
    /// `Sequence("s", …)`, with the `MetaData` given as `metadata=`.
    Sequence(Rc<crate::sql::schema::Sequence>, Option<Rc<Registry>>),
    /// `Identity(…)`, waiting for its column.
    Identity(crate::sql::schema::Identity),
}

impl SchemaItem {
    /// `type(x).__name__` of the item.
    pub fn python_type_name(&self) -> String {
        match self {
            SchemaItem::Type(t) | SchemaItem::CheckedEnum(t, _) => t.python_name().to_string(),
            SchemaItem::ForeignKey(_) => "ForeignKey".into(),
            SchemaItem::Column(..) => "Column".into(),
            SchemaItem::MappedColumn(_) => "MappedColumn".into(),
            SchemaItem::Relationship(_) => "_RelationshipDeclared".into(),
            SchemaItem::Backref(..) => "tuple".into(),
            SchemaItem::Metadata(_) => "MetaData".into(),
            SchemaItem::Index(_) => "Index".into(),
            SchemaItem::ColumnProperty { .. } => "MappedSQLExpression".into(),
            SchemaItem::Sequence(..) => "Sequence".into(),
            SchemaItem::Identity(_) => "Identity".into(),
            SchemaItem::Constraint(crate::sql::schema::TableConstraint::Unique { .. }) => {
                "UniqueConstraint".into()
            }
            SchemaItem::Constraint(crate::sql::schema::TableConstraint::Check { .. }) => {
                "CheckConstraint".into()
            }
        }
    }
}
