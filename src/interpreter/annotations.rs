//! `Mapped[...]` annotations of a declarative class body, read as
//! SQLAlchemy 2.0's declarative scan reads them (`orm/decl_base.py`,
//! `orm/properties.py` `MappedColumn.declarative_scan`, `orm/relationships.py`
//! `RelationshipProperty.declarative_scan`): a column's type and
//! nullability, a relationship's target and whether it is a collection.
//!
//! The tutor keeps annotations unevaluated (as under `from __future__ import
//! annotations`), so they are read from the syntax tree: `Mapped[int]`,
//! `Mapped[Optional[str]]`, `Mapped[str | None]`, `Mapped[List["Address"]]`,
//! `Mapped["User"]`, and the whole annotation as a string.

use crate::language::ast::{BinOp, Expr, ExprKind};
use crate::python::value::Value;
use crate::sql::schema::SqlType;

/// What a `Mapped[...]` annotation says about an attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum MappedAnnotation {
    /// A Python type SQLAlchemy's default `type_annotation_map` knows, or
    /// another name (a class, for a relationship).
    Scalar {
        /// The annotated name (`int`, `datetime`, `User`), without module.
        name: String,
        /// `Optional[...]`, `... | None` or `Union[..., None]`.
        optional: bool,
    },
    /// `List["Address"]`, `list[Address]`, `Set[...]`: a collection of
    /// the named class.
    Collection { target: String },
}

impl MappedAnnotation {
    /// The column type SQLAlchemy 2.0's default `type_annotation_map`
    /// gives the annotated Python type (`int` → `Integer`, `str` →
    /// `String`, `datetime` → `DateTime`, `Decimal` → `Numeric`, …).
    pub fn sql_type(&self) -> Option<SqlType> {
        let MappedAnnotation::Scalar { name, .. } = self else {
            return None;
        };
        Some(match name.as_str() {
            "int" => SqlType::Integer,
            "str" => SqlType::String(None),
            "float" => SqlType::Float,
            "bool" => SqlType::Boolean,
            "datetime" => SqlType::DateTime,
            "date" => SqlType::Date,
            "time" => SqlType::Time,
            "timedelta" => SqlType::Interval,
            "Decimal" => SqlType::Numeric(None, None),
            "bytes" => SqlType::LargeBinary,
            "UUID" => SqlType::Uuid,
            _ => return None,
        })
    }

    /// True for `Optional[...]` and `... | None`.
    pub fn optional(&self) -> bool {
        matches!(self, MappedAnnotation::Scalar { optional: true, .. })
    }

    /// The class a relationship annotated so points at.
    pub fn target(&self) -> &str {
        match self {
            MappedAnnotation::Scalar { name, .. } => name,
            MappedAnnotation::Collection { target } => target,
        }
    }
}

/// `Annotated[int, mapped_column(primary_key=True)]` evaluated, as
/// `typing.Annotated` makes it: the type (kept as written, since the tutor
/// reads annotations from the syntax tree) and its metadata. A class body's
/// `id: Mapped[intpk]` reads the type and takes the `mapped_column()` among
/// the metadata as the attribute's, as SQLAlchemy's declarative scan does.
#[derive(Debug)]
pub struct AnnotatedAlias {
    /// The first argument, as written (`int`, `Optional[str]`, `datetime`).
    pub origin: Expr,
    /// The other arguments, evaluated.
    pub metadata: Vec<Value>,
    /// `typing.Annotated[int, …]`, as `repr()` shows it.
    pub text: String,
}

impl crate::python::object::PyObject for AnnotatedAlias {
    fn type_name(&self) -> String {
        "_AnnotatedAlias".into()
    }
    fn repr(&self) -> String {
        self.text.clone()
    }
    fn into_any(self: std::rc::Rc<Self>) -> std::rc::Rc<dyn std::any::Any> {
        self
    }
}

impl AnnotatedAlias {
    /// What `Mapped[alias]` (or `Mapped[Optional[alias]]` when `optional`)
    /// says, read from the alias's type.
    pub fn mapped(&self, optional: bool) -> MappedAnnotation {
        inner(&self.origin, optional)
    }

    /// The last `mapped_column(...)` among the metadata (SQLAlchemy uses
    /// the one it finds scanning them), if any.
    pub fn mapped_column(&self) -> Option<crate::orm::schema_items::MappedColumnDecl> {
        self.metadata.iter().rev().find_map(|v| {
            match v
                .downcast::<crate::orm::schema_items::SchemaItem>()
                .as_deref()
            {
                Some(crate::orm::schema_items::SchemaItem::MappedColumn(d)) => Some(d.clone()),
                _ => None,
            }
        })
    }
}

/// The last part of a dotted name: `datetime.datetime` → `datetime`.
fn simple_name(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.clone()),
        ExprKind::Attribute { attr, .. } => Some(attr.clone()),
        _ => None,
    }
}

/// Reads `Mapped[...]` (or `"Mapped[...]"`); `None` when the annotation
/// is not a `Mapped` one (a plain type hint such as `id: int = Column(...)`).
pub fn mapped_annotation(annotation: &Expr) -> Option<MappedAnnotation> {
    match &annotation.kind {
        ExprKind::Subscript { value, index } if simple_name(value).as_deref() == Some("Mapped") => {
            Some(inner(index, false))
        }
        // `DynamicMapped["Post"]` / `WriteOnlyMapped["Post"]`: a collection
        // (see [`collection_lazy`])
        ExprKind::Subscript { value, index }
            if matches!(
                simple_name(value).as_deref(),
                Some("DynamicMapped" | "WriteOnlyMapped")
            ) =>
        {
            Some(MappedAnnotation::Collection {
                target: inner(index, false).target().to_string(),
            })
        }
        ExprKind::Str(s) => {
            let stmts = crate::language::parse_module(s).ok()?;
            match &stmts.first()?.kind {
                crate::language::ast::StmtKind::Expr(e) => mapped_annotation(e),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The `Annotated[...]` written inline in `Mapped[...]` (or in its
/// `Optional[...]`, `Union[..., None]`, `... | None`), to evaluate for the
/// `mapped_column()` among its metadata.
pub fn inline_annotated(annotation: &Expr) -> Option<&Expr> {
    fn find(e: &Expr) -> Option<&Expr> {
        match &e.kind {
            ExprKind::Subscript { value, index } => match simple_name(value).as_deref() {
                Some("Annotated") => Some(e),
                Some("Optional") => find(index),
                Some("Union") => match &index.kind {
                    ExprKind::Tuple(items) => items.iter().find_map(find),
                    _ => find(index),
                },
                _ => None,
            },
            ExprKind::BinOp {
                left,
                op: BinOp::BitOr,
                right,
            } => find(left).or_else(|| find(right)),
            _ => None,
        }
    }
    match &annotation.kind {
        ExprKind::Subscript { value, index } if simple_name(value).as_deref() == Some("Mapped") => {
            find(index)
        }
        _ => None,
    }
}

/// The loader strategy an annotation implies: `"dynamic"` for
/// `DynamicMapped[...]`, `"write_only"` for `WriteOnlyMapped[...]`, as
/// SQLAlchemy 2.0's declarative scan sets `relationship(lazy=...)`.
pub fn collection_lazy(annotation: &Expr) -> Option<&'static str> {
    match &annotation.kind {
        ExprKind::Subscript { value, .. } => match simple_name(value).as_deref() {
            Some("DynamicMapped") => Some("dynamic"),
            Some("WriteOnlyMapped") => Some("write_only"),
            _ => None,
        },
        ExprKind::Str(s) => {
            let stmts = crate::language::parse_module(s).ok()?;
            match &stmts.first()?.kind {
                crate::language::ast::StmtKind::Expr(e) => collection_lazy(e),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The type inside `Mapped[...]`.
fn inner(e: &Expr, optional: bool) -> MappedAnnotation {
    match &e.kind {
        ExprKind::Str(s) => match crate::language::parse_module(s).ok().as_deref() {
            Some([stmt]) if let crate::language::ast::StmtKind::Expr(e) = &stmt.kind => {
                inner(e, optional)
            }
            _ => MappedAnnotation::Scalar {
                name: s.clone(),
                optional,
            },
        },
        ExprKind::Subscript { value, index } => match simple_name(value).as_deref() {
            Some("Optional") => inner(index, true),
            Some("List" | "list" | "Set" | "set" | "Sequence" | "Collection") => {
                MappedAnnotation::Collection {
                    target: inner(index, false).target().to_string(),
                }
            }
            Some("Union") => match &index.kind {
                ExprKind::Tuple(items) => union(items, optional),
                _ => inner(index, optional),
            },
            Some("Annotated") => match &index.kind {
                ExprKind::Tuple(items) if !items.is_empty() => inner(&items[0], optional),
                _ => inner(index, optional),
            },
            _ => MappedAnnotation::Scalar {
                name: simple_name(value).unwrap_or_default(),
                optional,
            },
        },
        ExprKind::BinOp {
            left,
            op: BinOp::BitOr,
            right,
        } => union(&[(**left).clone(), (**right).clone()], optional),
        _ => MappedAnnotation::Scalar {
            name: simple_name(e).unwrap_or_default(),
            optional,
        },
    }
}

/// `Union[X, None]` / `X | None`: X, optional.
fn union(items: &[Expr], optional: bool) -> MappedAnnotation {
    let is_none = |e: &Expr| {
        matches!(&e.kind, ExprKind::None) || simple_name(e).as_deref() == Some("NoneType")
    };
    let optional = optional || items.iter().any(is_none);
    match items.iter().find(|e| !is_none(e)) {
        Some(e) => inner(e, optional),
        None => MappedAnnotation::Scalar {
            name: "None".into(),
            optional,
        },
    }
}

/// Python's builtin names the tutor binds no value to (`bytes`, `object`,
/// …): defined to Python, so an annotation naming one is no `NameError`.
const PYTHON_ONLY_BUILTINS: &[&str] = &[
    "bytes",
    "bytearray",
    "memoryview",
    "complex",
    "frozenset",
    "object",
    "type",
    "range",
    "slice",
    "Ellipsis",
    "NotImplemented",
];

/// Python's builtin classes the tutor binds (as functions): an
/// annotation shows them by name.
const BUILTIN_CLASSES: &[&str] = &[
    "int", "str", "float", "bool", "list", "dict", "set", "tuple",
];

/// The names an annotation reads when Python evaluates it, in evaluation
/// order; names inside string annotations (forward references) are not
/// read.
fn annotation_names(e: &Expr, out: &mut Vec<Expr>) {
    match &e.kind {
        ExprKind::Name(_) => out.push(e.clone()),
        ExprKind::Attribute { value, .. } => annotation_names(value, out),
        ExprKind::Subscript { value, index } => {
            annotation_names(value, out);
            annotation_names(index, out);
        }
        ExprKind::BinOp { left, right, .. } => {
            annotation_names(left, out);
            annotation_names(right, out);
        }
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            for i in items {
                annotation_names(i, out);
            }
        }
        _ => {}
    }
}

/// Whether every namespace has `name` from its start-up star imports
/// (`from sqlalchemy import *`, `sqlalchemy.orm`, `sqlalchemy.exc`,
/// `sqlalchemy.orm.exc`, as the oracle's namespace).
fn is_star_imported(name: &str) -> bool {
    [
        "sqlalchemy",
        "sqlalchemy.orm",
        "sqlalchemy.exc",
        "sqlalchemy.orm.exc",
    ]
    .into_iter()
    .any(|m| crate::sqlalchemy::modules::exported_names(m).contains(&name))
}

/// How an annotation's part shows in `inspect.formatannotation`'s text.
#[derive(Clone, Copy, PartialEq)]
enum AnnotationPlace {
    /// the whole annotation
    Top,
    /// an argument of a `typing` generic or of `Mapped[...]`: a string is
    /// a `ForwardRef('X')`, `None` is `NoneType`
    Typing,
    /// an argument of a builtin generic (`list[...]`) or a side of `|`
    Builtin,
}

/// An annotation evaluated to a `typing` form (`Mapped[int]`,
/// `Optional[str]`, `list[int]`, `int | None`), as `__annotations__`
/// holds it: only its `repr()` is modelled.
#[derive(Debug)]
pub struct AnnotationForm(pub String);

impl crate::python::object::PyObject for AnnotationForm {
    fn type_name(&self) -> String {
        "_GenericAlias".into()
    }
    fn repr(&self) -> String {
        self.0.clone()
    }
    fn into_any(self: std::rc::Rc<Self>) -> std::rc::Rc<dyn std::any::Any> {
        self
    }
}

impl super::Interpreter {
    /// An annotation's value as a class body or the module stores it in
    /// `__annotations__`: a string as written (a forward reference, or
    /// every annotation after `from __future__ import annotations`), a
    /// name's object (`<class 'int'>`), else the `typing` form, shown as
    /// `repr()` shows it (`sqlalchemy.orm.base.Mapped[typing.Optional[str]]`;
    /// a form the tutor cannot show so, as `ast.unparse` writes it).
    ///
    /// Errors: what evaluating its names raises.
    pub(super) fn annotation_value(
        &mut self,
        annotation: &Expr,
    ) -> crate::python::exceptions::PyResult<Value> {
        Ok(match &annotation.kind {
            ExprKind::Str(s) => Value::str(s),
            ExprKind::Name(_) | ExprKind::Attribute { .. } if let Ok(v) = self.eval(annotation) => {
                v
            }
            _ => {
                let text = match self.annotation_part(annotation, AnnotationPlace::Top)? {
                    Some(t) => t,
                    None => super::future::unparse(annotation).unwrap_or_else(|| "...".into()),
                };
                Value::native(AnnotationForm(text))
            }
        })
    }

    /// `__annotations__[name] = v` in the running class body's namespace,
    /// or the module's, made at the first annotation as CPython's
    /// `SETUP_ANNOTATIONS` makes it.
    pub(super) fn record_annotation(&mut self, name: &str, v: Value) {
        const KEY: &str = "__annotations__";
        let existing = match self.frames.last() {
            Some(f) => f.vars.borrow().get(KEY).cloned(),
            None => self.globals.get(KEY).cloned(),
        };
        let dict = match existing {
            Some(d @ Value::Dict(_)) => d,
            _ => {
                let d = crate::python::value::DictObj::value(Vec::new());
                match self.frames.last() {
                    Some(f) => {
                        f.vars.borrow_mut().insert(KEY.to_string(), d.clone());
                    }
                    None => {
                        self.globals.insert(KEY.to_string(), d.clone());
                    }
                }
                d
            }
        };
        if let Value::Dict(d) = &dict {
            d.borrow_mut().set(Value::str(name), v);
        }
    }

    /// `Annotated[T, x, …]` evaluated: an [`AnnotatedAlias`].
    ///
    /// Errors: CPython's `TypeError` for fewer than two arguments; what
    /// evaluating the metadata raises.
    pub(super) fn annotated_alias(
        &mut self,
        index: &Expr,
    ) -> crate::python::exceptions::PyResult<Value> {
        let items: Vec<&Expr> = match &index.kind {
            ExprKind::Tuple(items) => items.iter().collect(),
            _ => vec![index],
        };
        let [origin, rest @ ..] = items.as_slice() else {
            return Err(crate::python::exceptions::type_error(
                "Annotated[...] should be used with at least two arguments (a type and an annotation).",
            ));
        };
        if rest.is_empty() {
            return Err(crate::python::exceptions::type_error(
                "Annotated[...] should be used with at least two arguments (a type and an annotation).",
            ));
        }
        self.check_annotation_names(origin)?;
        let mut metadata = Vec::new();
        for e in rest {
            metadata.push(self.eval(e)?);
        }
        let origin_text = match self.annotation_part(origin, AnnotationPlace::Typing)? {
            Some(t) => t,
            None => super::future::unparse(origin).unwrap_or_else(|| "...".into()),
        };
        let mut parts = vec![origin_text];
        for v in &metadata {
            parts.push(self.repr(v)?);
        }
        Ok(Value::native(AnnotatedAlias {
            origin: (*origin).clone(),
            metadata,
            text: format!("typing.Annotated[{}]", parts.join(", ")),
        }))
    }

    /// Evaluates an annotation's names where Python evaluates annotations
    /// (a class body or the module, a `def`'s parameters and return):
    /// CPython's `NameError` at the first name not defined. The tutor keeps
    /// the annotation itself unevaluated.
    pub(super) fn check_annotation_names(
        &mut self,
        annotation: &Expr,
    ) -> crate::python::exceptions::PyResult<()> {
        let mut names = Vec::new();
        annotation_names(annotation, &mut names);
        for n in names {
            let ExprKind::Name(name) = &n.kind else {
                continue;
            };
            match self.lookup(name, n.span) {
                Ok(_) => {}
                // Defined to Python: a builtin the tutor lacks, or a name of
                // the start-up namespace's star imports (the oracle's
                // `from sqlalchemy.exc import *` brings `List`, `Optional`).
                Err(e)
                    if e.exc != crate::python::ExcType::NameError
                        || PYTHON_ONLY_BUILTINS.contains(&name.as_str())
                        || is_star_imported(name) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// A `def`'s annotations as `inspect.formatannotation` shows them in
    /// `help(f)` (`session: sqlalchemy.orm.session.Session`, `-> list[str]`,
    /// `'User'`, `Optional[ForwardRef('User')]`): the annotation evaluated
    /// now, as Python evaluated it at the `def`.
    ///
    /// Errors: `NotImplementedError` for an annotation the tutor cannot
    /// show as Python would.
    pub(super) fn annotation_text(
        &mut self,
        annotation: &Expr,
    ) -> crate::python::exceptions::PyResult<String> {
        let unsupported = || {
            crate::python::exceptions::PyErr::unsupported(
                "help() of a function with this annotation",
            )
        };
        let text = self
            .annotation_part(annotation, AnnotationPlace::Top)?
            .ok_or_else(unsupported)?;
        Ok(if text.starts_with("typing.") {
            text.replace("typing.", "")
        } else {
            text
        })
    }

    /// One part of an annotation as `repr`/`typing._type_repr` show it;
    /// `None` when the tutor cannot tell.
    fn annotation_part(
        &mut self,
        e: &Expr,
        place: AnnotationPlace,
    ) -> crate::python::exceptions::PyResult<Option<String>> {
        use crate::python::value::{Builtin, str_repr};
        Ok(Some(match &e.kind {
            ExprKind::Str(s) if place == AnnotationPlace::Typing => {
                format!("ForwardRef({})", str_repr(s))
            }
            ExprKind::Str(s) => str_repr(s),
            ExprKind::None if place == AnnotationPlace::Typing => "NoneType".into(),
            ExprKind::None => "None".into(),
            ExprKind::Name(n)
                if PYTHON_ONLY_BUILTINS.contains(&n.as_str())
                    && self.lookup(n, e.span).is_err() =>
            {
                n.clone()
            }
            // `List`, `Optional` … of the start-up star imports.
            ExprKind::Name(n)
                if crate::sqlalchemy::modules::TYPING_NAMES.contains(&n.as_str())
                    && is_star_imported(n)
                    && self.lookup(n, e.span).is_err() =>
            {
                format!("typing.{n}")
            }
            ExprKind::Name(_) | ExprKind::Attribute { .. } => {
                let v = self.eval(e)?;
                // Python's builtin classes, which the tutor binds as functions.
                let builtin_class = match &v {
                    Value::Builtin(b) => super::builtins::BUILTIN_NAMES
                        .iter()
                        .find(|(n, d)| d == b && BUILTIN_CLASSES.contains(n))
                        .map(|(n, _)| *n),
                    _ => None,
                };
                match &v {
                    _ if let Some(n) = builtin_class => n.to_string(),
                    Value::Builtin(Builtin::Schema(n))
                        if crate::sqlalchemy::modules::TYPING_NAMES.contains(n) =>
                    {
                        format!("typing.{n}")
                    }
                    _ => {
                        let repr = self.repr(&v)?;
                        match repr
                            .strip_prefix("<class '")
                            .and_then(|r| r.strip_suffix("'>"))
                        {
                            Some(q) => q.strip_prefix("builtins.").unwrap_or(q).to_string(),
                            None => return Ok(None),
                        }
                    }
                }
            }
            ExprKind::Subscript { value, index } => {
                let Some(base) = self.annotation_part(value, AnnotationPlace::Top)? else {
                    return Ok(None);
                };
                let items: Vec<&Expr> = match &index.kind {
                    ExprKind::Tuple(items) => items.iter().collect(),
                    _ => vec![&**index],
                };
                let inner_place = match base.as_str() {
                    "list" | "dict" | "set" | "frozenset" | "tuple" | "type" => {
                        AnnotationPlace::Builtin
                    }
                    "typing.Annotated" => return Ok(None),
                    b if b.starts_with("typing.") || b == "sqlalchemy.orm.base.Mapped" => {
                        AnnotationPlace::Typing
                    }
                    _ => return Ok(None),
                };
                let mut args = Vec::new();
                for i in &items {
                    match self.annotation_part(i, inner_place)? {
                        Some(a) => args.push(a),
                        None => return Ok(None),
                    }
                }
                match base.as_str() {
                    "typing.Optional" | "typing.Union" => {
                        let mut args = args;
                        if base == "typing.Optional" {
                            if args.len() != 1 {
                                return Ok(None);
                            }
                            args.push("NoneType".into());
                        }
                        if args.iter().any(|a| {
                            a.starts_with("typing.Union[") || a.starts_with("typing.Optional[")
                        }) {
                            return Ok(None);
                        }
                        args.dedup();
                        match args.as_slice() {
                            [one] => one.clone(),
                            [a, n] | [n, a] if n == "NoneType" => format!("typing.Optional[{a}]"),
                            _ => format!("typing.Union[{}]", args.join(", ")),
                        }
                    }
                    _ => format!("{base}[{}]", args.join(", ")),
                }
            }
            ExprKind::BinOp {
                left,
                op: BinOp::BitOr,
                right,
            } => {
                let mut sides = Vec::new();
                for side in [left, right] {
                    if matches!(side.kind, ExprKind::Str(_)) {
                        return Ok(None);
                    }
                    match self.annotation_part(side, AnnotationPlace::Builtin)? {
                        Some(s) if !s.starts_with("typing.") => sides.push(s),
                        _ => return Ok(None),
                    }
                }
                sides.join(" | ")
            }
            _ => return Ok(None),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> Option<MappedAnnotation> {
        let stmts = crate::language::parse_module(&format!("x: {src}")).unwrap();
        match &stmts[0].kind {
            crate::language::ast::StmtKind::AnnAssign { annotation, .. } => {
                mapped_annotation(annotation)
            }
            _ => unreachable!(),
        }
    }

    #[test]
    fn column_annotations_give_type_and_nullability() {
        let a = read("Mapped[int]").unwrap();
        assert_eq!(a.sql_type(), Some(SqlType::Integer));
        assert!(!a.optional());
        let a = read("Mapped[Optional[str]]").unwrap();
        assert_eq!(a.sql_type(), Some(SqlType::String(None)));
        assert!(a.optional());
        assert!(read("Mapped[str | None]").unwrap().optional());
        assert!(read("Mapped[Union[int, None]]").unwrap().optional());
        assert_eq!(
            read("Mapped[datetime.datetime]").unwrap().sql_type(),
            Some(SqlType::DateTime)
        );
        assert_eq!(read("int"), None);
    }

    #[test]
    fn relationship_annotations_give_target_and_collection() {
        assert_eq!(
            read("Mapped[List[\"Address\"]]"),
            Some(MappedAnnotation::Collection {
                target: "Address".into()
            })
        );
        assert_eq!(read("Mapped[list[Address]]").unwrap().target(), "Address");
        assert_eq!(read("Mapped[\"User\"]").unwrap().target(), "User");
        assert_eq!(read("\"Mapped[User]\"").unwrap().target(), "User");
        assert!(read("Mapped[Optional[\"User\"]]").unwrap().optional());
    }
}
