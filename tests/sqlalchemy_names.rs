//! Every public name of `sqlalchemy` and `sqlalchemy.orm` (SQLAlchemy
//! 2.0.58, modules left out) either works in the tutor or says
//! `NotImplementedError: orm-tutor does not support … yet` — read bare (the
//! start namespace star-imports both), imported with `from … import`, and
//! read as a module attribute; never a `NameError`, `AttributeError` or
//! `TypeError` that reads as if SQLAlchemy lacked it (issue 10).

use orm_tutor::fixture::Fixture;
use orm_tutor::tutor::{DbTarget, Tutor};

/// `[n for n in dir(sqlalchemy) if not n.startswith("_")]`, modules left out.
#[rustfmt::skip]
const SQLALCHEMY: &[&str] = &[
    "ARRAY", "AdaptedConnection", "Alias", "AliasedReturnsRows", "Any", "AssertionPool",
    "AsyncAdaptedQueuePool", "BIGINT", "BINARY", "BLANK_SCHEMA", "BLOB", "BOOLEAN",
    "BaseDDLElement", "BaseRow", "BigInteger", "BinaryExpression", "BindParameter", "BindTyping",
    "Boolean", "BooleanClauseList", "CHAR", "CLOB", "CTE", "CacheKey", "Case", "Cast",
    "CheckConstraint", "ChunkedIteratorResult", "ClauseElement", "ClauseList",
    "CollectionAggregate", "Column", "ColumnClause", "ColumnCollection", "ColumnDefault",
    "ColumnElement", "ColumnExpressionArgument", "ColumnOperators", "Compiled", "CompoundSelect",
    "Computed", "Connection", "Constraint", "CreateEnginePlugin", "CursorResult", "DATE",
    "DATETIME", "DDL", "DDLElement", "DECIMAL", "DOUBLE", "DOUBLE_PRECISION", "Date", "DateTime",
    "DefaultClause", "Delete", "Dialect", "Double", "Engine", "Enum", "ExceptionContext",
    "Executable", "ExecutableDDLElement", "ExecutionContext", "Exists", "Extract", "FLOAT",
    "FallbackAsyncAdaptedQueuePool", "False_", "FetchedValue", "Float", "ForeignKey",
    "ForeignKeyConstraint", "FromClause", "FromGrouping", "FrozenResult", "Function",
    "FunctionElement", "FunctionFilter", "GenerativeSelect", "Grouping", "HasCTE", "HasPrefixes",
    "HasSuffixes", "INT", "INTEGER", "Identity", "Index", "Insert", "Inspector", "Integer",
    "Interval", "IteratorResult", "JSON", "Join", "LABEL_STYLE_DEFAULT",
    "LABEL_STYLE_DISAMBIGUATE_ONLY", "LABEL_STYLE_NONE", "LABEL_STYLE_TABLENAME_PLUS_COL", "Label",
    "LambdaElement", "LargeBinary", "Lateral", "MappingResult", "MergedResult", "MetaData",
    "NCHAR", "NUMERIC", "NVARCHAR", "NestedTransaction", "NotNullable", "Null", "NullPool",
    "Nullable", "Numeric", "Operators", "Over", "PickleType", "Pool", "PoolProxiedConnection",
    "PoolResetState", "PrimaryKeyConstraint", "QueuePool", "REAL", "ReleaseSavepointClause",
    "Result", "ResultProxy", "ReturnsRows", "RollbackToSavepointClause", "RootTransaction", "Row",
    "RowMapping", "SMALLINT", "SQLColumnExpression", "SavepointClause", "ScalarResult",
    "ScalarSelect", "Select", "SelectBase", "SelectLabelStyle", "Selectable", "Sequence",
    "SingletonThreadPool", "SmallInteger", "StatementLambdaElement", "StaticPool", "String",
    "Subquery", "TEXT", "TIME", "TIMESTAMP", "Table", "TableClause", "TableSample",
    "TableValuedAlias", "Text", "TextAsFrom", "TextClause", "TextualSelect", "Time", "Transaction",
    "True_", "TryCast", "Tuple", "TupleType", "TwoPhaseTransaction", "TypeClause", "TypeCoerce",
    "TypeCompiler", "TypeDecorator", "URL", "UUID", "UnaryExpression", "Unicode", "UnicodeText",
    "UniqueConstraint", "Update", "UpdateBase", "Uuid", "VARBINARY", "VARCHAR", "Values",
    "ValuesBase", "Visitable", "WithinGroup", "alias", "all_", "and_", "annotations", "any_",
    "asc", "between", "bindparam", "bitwise_not", "case", "cast", "collate", "column",
    "create_engine", "create_mock_engine", "create_pool_from_url", "cte", "custom_op", "delete",
    "desc", "distinct", "engine_from_config", "except_", "except_all", "exists", "extract",
    "false", "func", "funcfilter", "insert", "insert_sentinel", "inspect", "intersect",
    "intersect_all", "join", "label", "lambda_stmt", "lateral", "literal", "literal_column",
    "make_url", "modifier", "not_", "null", "nulls_first", "nulls_last", "nullsfirst", "nullslast",
    "or_", "outerjoin", "outparam", "over", "quoted_name", "result_tuple", "select", "table",
    "tablesample", "text", "true", "try_cast", "tuple_", "type_coerce", "union", "union_all",
    "update", "values", "within_group",
];

/// `[n for n in dir(sqlalchemy.orm) if not n.startswith("_")]`, modules left out.
#[rustfmt::skip]
const SQLALCHEMY_ORM: &[&str] = &[
    "AliasOption", "Any", "AppenderQuery", "AttributeEventToken", "AttributeEvents",
    "AttributeState", "Bundle", "CascadeOptions", "ClassManager", "ColumnProperty", "Composite",
    "CompositeProperty", "DeclarativeBase", "DeclarativeBaseNoMeta", "DeclarativeMeta",
    "DynamicMapped", "EXT_CONTINUE", "EXT_SKIP", "EXT_STOP", "FromStatement", "IdentityMap",
    "InspectionAttr", "InspectionAttrExtensionType", "InspectionAttrInfo", "InstanceEvents",
    "InstanceState", "InstrumentationEvents", "InstrumentedAttribute", "KeyFuncDict", "Load",
    "LoaderCallableStatus", "LoaderCriteriaOption", "MANYTOMANY", "MANYTOONE", "Mapped",
    "MappedAsDataclass", "MappedClassProtocol", "MappedCollection", "MappedColumn",
    "MappedSQLExpression", "Mapper", "MapperEvents", "MapperProperty", "NO_KEY", "NO_VALUE",
    "NotExtension", "ONETOMANY", "ORMDescriptor", "ORMExecuteState", "PassiveFlag",
    "PropComparator", "Query", "QueryContext", "QueryEvents", "QueryPropertyDescriptor",
    "QueryableAttribute", "Relationship", "RelationshipDirection", "RelationshipProperty",
    "SQLORMExpression", "Session", "SessionEvents", "SessionTransaction",
    "SessionTransactionOrigin", "Synonym", "SynonymProperty", "UOWTransaction",
    "UserDefinedOption", "WriteOnlyCollection", "WriteOnlyMapped", "add_mapped_attribute",
    "aliased", "annotations", "as_declarative", "attribute_keyed_dict",
    "attribute_mapped_collection", "backref", "class_mapper", "clear_mappers",
    "close_all_sessions", "column_keyed_dict", "column_mapped_collection", "column_property",
    "composite", "configure_mappers", "contains_alias", "contains_eager", "create_session",
    "declarative_base", "declarative_mixin", "declared_attr", "defaultload", "defer", "deferred",
    "dynamic_loader", "foreign", "has_inherited_table", "immediateload", "join", "joinedload",
    "keyfunc_mapping", "lazyload", "load_only", "make_transient", "make_transient_to_detached",
    "mapped_as_dataclass", "mapped_collection", "mapped_column", "mapper", "merge_frozen_result",
    "merge_result", "noload", "object_mapper", "object_session", "orm_insert_sentinel",
    "outerjoin", "polymorphic_union", "query_expression", "raiseload", "reconstructor", "registry",
    "relationship", "remote", "scoped_session", "selectin_polymorphic", "selectinload",
    "sessionmaker", "subqueryload", "synonym", "synonym_for", "undefer", "undefer_group",
    "validates", "was_deleted", "with_expression", "with_loader_criteria", "with_parent",
    "with_polymorphic",
];

/// The steps of `src` that failed otherwise than `NotImplementedError`:
/// `(code, error type, message)`.
fn bad_steps(src: &str) -> Vec<(String, String, String)> {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    t.run_script(src)
        .into_iter()
        .filter_map(|s| {
            let e = s.error?;
            (e.type_name != "NotImplementedError").then_some((s.code, e.type_name, e.message))
        })
        .collect()
}

#[test]
fn every_sqlalchemy_name_works_or_is_not_implemented() {
    let mut src = String::from("import sqlalchemy\nimport sqlalchemy.orm\n");
    for (module, names) in [
        ("sqlalchemy", SQLALCHEMY),
        ("sqlalchemy.orm", SQLALCHEMY_ORM),
    ] {
        for name in names {
            src.push_str(&format!(
                "{name}\nfrom {module} import {name}\n{module}.{name}\n"
            ));
        }
    }
    let bad = bad_steps(&src);
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn typical_uses_work_or_are_not_implemented() {
    let src = "\
tuple_(User.id, User.name)
over(func.row_number(), order_by=User.id)
within_group(func.percentile_cont(0.5), User.id)
funcfilter(func.count(User.id), User.id > 1)
collate(User.name, 'NOCASE')
User.name.collate('NOCASE')
extract('year', User.created_at)
any_(select(Message.user_id).scalar_subquery())
all_(select(Message.user_id).scalar_subquery())
literal(5)
null()
true()
false()
distinct(User.name)
type_coerce(User.name, String)
bindparam('ids', expanding=True)
column('x')
table('t', column('a'))
lambda_stmt(lambda: select(User))
label('n', func.count(User.id))
between(User.id, 1, 3)
not_(User.id == 1)
desc(User.id)
asc(User.id)
nulls_first(User.id)
(User.name == 'x').compile()
select(User.id).subquery().element
select(User.id).cte().name
";
    let bad = bad_steps(src);
    assert!(bad.is_empty(), "{bad:#?}");
}
