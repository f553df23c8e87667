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
