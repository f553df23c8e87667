//! PostgreSQL reflection as SQLAlchemy 2.0's `PGDialect` does it
//! (`dialects/postgresql/base.py`): the `pg_catalog` queries its
//! `get_table_names`, `get_multi_columns`, `_get_table_oids`,
//! `get_multi_pk_constraint`/`get_multi_unique_constraints`
//! (`_constraint_query`), `get_multi_foreign_keys`, `get_multi_indexes`,
//! `_load_domains`, `_load_enums`, `get_multi_table_comment` and
//! `get_multi_check_constraints` send, with their parameters as psycopg2
//! gets them, and their rows read into the values SQLAlchemy makes of them.
//!
//! The queries are SQLAlchemy Core statements there; here they are their
//! compiled text (whitespace folded), built for the number of tables asked
//! (`filter_names_1`, `filter_names_2` …, `oids_1` …).

use crate::sql::compiler::{BoundParam, Compiled};
use crate::sql::schema::SqlValue;

/// Which relations a reflection call looks at (`ObjectKind` and
/// `ObjectScope`): the Inspector's one-table calls ask for any kind in any
/// scope (tables, views, foreign tables, materialized views); Alembic's
/// whole-database reflection asks for tables only, temporary ones left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relations {
    /// `kind=ObjectKind.ANY, scope=ObjectScope.ANY`: relkinds r, p, f, v, m.
    Any,
    /// `kind=ObjectKind.TABLE, scope=ObjectScope.DEFAULT`: relkinds r, p,
    /// f, and `relpersistence != 't'`.
    Tables,
    /// `kind=ObjectKind.TABLE, scope=ObjectScope.ANY` (`MetaData.reflect()`):
    /// relkinds r, p, f, temporary ones too.
    TablesAnyScope,
}

impl Relations {
    fn relkinds(self) -> &'static [&'static str] {
        match self {
            Relations::Any => &["r", "p", "f", "v", "m"],
            Relations::Tables | Relations::TablesAnyScope => &["r", "p", "f"],
        }
    }
}

/// A statement being written, its parameters collected in order.
struct Query {
    sql: String,
    params: Vec<BoundParam>,
}

impl Query {
    fn new() -> Query {
        Query {
            sql: String::new(),
            params: Vec::new(),
        }
    }

    /// `%(name)s`, its value kept once.
    fn bind(&mut self, name: &str, value: SqlValue) -> String {
        if !self.params.iter().any(|p| p.name == name) {
            self.params.push(BoundParam {
                name: name.to_string(),
                value,
                callable_: None,
            });
        }
        format!("%({name})s")
    }

    fn text(&mut self, name: &str, value: &str) -> String {
        self.bind(name, SqlValue::Text(value.to_string()))
    }

    /// An expanding `IN` list: `%(name_1)s, %(name_2)s, …`.
    fn list(&mut self, name: &str, values: &[SqlValue]) -> String {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| self.bind(&format!("{name}_{}", i + 1), v.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn push(&mut self, s: &str) {
        self.sql.push_str(s);
    }

    /// `_pg_class_relkind_condition` and `_pg_class_filter_scope_schema`:
    /// the relkinds as `param_N` from `first`, the scope, visibility on the
    /// search path, not `pg_catalog`.
    fn class_filter(&mut self, relations: Relations, first: usize) {
        let kinds: Vec<String> = relations
            .relkinds()
            .iter()
            .enumerate()
            .map(|(i, k)| self.text(&format!("param_{}", first + i), k))
            .collect();
        self.push(&format!(
            "pg_catalog.pg_class.relkind = ANY (ARRAY[{}])",
            kinds.join(", ")
        ));
        if relations == Relations::Tables {
            let p = self.text("relpersistence_1", "t");
            self.push(&format!(" AND pg_catalog.pg_class.relpersistence != {p}"));
        }
        let p = self.text("nspname_1", "pg_catalog");
        self.push(&format!(
            " AND pg_catalog.pg_table_is_visible(pg_catalog.pg_class.oid) AND pg_catalog.pg_namespace.nspname != {p}"
        ));
    }

    /// `relname IN (…)`; none for an empty list (SQLAlchemy's `if
    /// filter_names:`).
    fn filter_names(&mut self, names: &[String]) {
        if names.is_empty() {
            return;
        }
        let texts: Vec<SqlValue> = names.iter().map(|n| SqlValue::Text(n.clone())).collect();
        let list = self.list("filter_names", &texts);
        self.push(&format!(" AND pg_catalog.pg_class.relname IN ({list})"));
    }

    fn done(self) -> Compiled {
        Compiled {
            sql: self.sql,
            params: self.params,
        }
    }
}

const CLASS_JOIN_NAMESPACE: &str = "FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace WHERE ";

/// `get_table_names`: plain and partitioned tables, temporary ones left out.
pub fn table_names_query() -> Compiled {
    names_query(false)
}

/// `get_temp_table_names`: the temporary plain and partitioned tables.
pub fn temp_table_names_query() -> Compiled {
    names_query(true)
}

fn names_query(temporary: bool) -> Compiled {
    let mut q = Query::new();
    q.push("SELECT pg_catalog.pg_class.relname ");
    q.push(CLASS_JOIN_NAMESPACE);
    let kinds = [q.text("param_1", "r"), q.text("param_2", "p")];
    q.push(&format!(
        "pg_catalog.pg_class.relkind = ANY (ARRAY[{}])",
        kinds.join(", ")
    ));
    let p = q.text("relpersistence_1", "t");
    let op = if temporary { "=" } else { "!=" };
    q.push(&format!(" AND pg_catalog.pg_class.relpersistence {op} {p}"));
    let p = q.text("nspname_1", "pg_catalog");
    q.push(&format!(
        " AND pg_catalog.pg_table_is_visible(pg_catalog.pg_class.oid) AND pg_catalog.pg_namespace.nspname != {p}"
    ));
    q.done()
}

/// `get_multi_columns`' query (`_columns_query`): one row per column of
/// each named relation, ordered by table and position; a relation with no
/// columns gives one row of NULLs but its name.
pub fn columns_query(relations: Relations, names: &[String]) -> Compiled {
    let mut q = Query::new();
    let j: Vec<String> = [
        ("json_build_object_2", "always"),
        ("attidentity_1", "a"),
        ("json_build_object_3", "start"),
        ("json_build_object_4", "increment"),
        ("json_build_object_5", "minvalue"),
        ("json_build_object_6", "maxvalue"),
        ("json_build_object_7", "cache"),
        ("json_build_object_8", "cycle"),
        ("attidentity_2", ""),
    ]
    .iter()
    .map(|(n, v)| q.text(n, v))
    .collect();
    let collation = q.bind("attcollation_1", SqlValue::Integer(0));
    let attnum = q.bind("attnum_1", SqlValue::Integer(0));
    q.push(&format!(
        "SELECT pg_catalog.pg_attribute.attname AS name, pg_catalog.format_type(pg_catalog.pg_attribute.atttypid, pg_catalog.pg_attribute.atttypmod) AS format_type, (SELECT pg_catalog.pg_get_expr(pg_catalog.pg_attrdef.adbin, pg_catalog.pg_attrdef.adrelid) AS pg_get_expr_1 FROM pg_catalog.pg_attrdef WHERE pg_catalog.pg_attrdef.adrelid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_attrdef.adnum = pg_catalog.pg_attribute.attnum AND pg_catalog.pg_attribute.atthasdef) AS \"default\", pg_catalog.pg_attribute.attnotnull AS not_null, pg_catalog.pg_class.relname AS table_name, pg_catalog.pg_description.description AS comment, pg_catalog.pg_attribute.attgenerated AS generated, (SELECT json_build_object({}, pg_catalog.pg_attribute.attidentity = {}, {}, pg_catalog.pg_sequence.seqstart, {}, pg_catalog.pg_sequence.seqincrement, {}, pg_catalog.pg_sequence.seqmin, {}, pg_catalog.pg_sequence.seqmax, {}, pg_catalog.pg_sequence.seqcache, {}, pg_catalog.pg_sequence.seqcycle) AS json_build_object_1 FROM pg_catalog.pg_sequence WHERE pg_catalog.pg_attribute.attidentity != {} AND pg_catalog.pg_sequence.seqrelid = CAST(CAST(pg_catalog.pg_get_serial_sequence(CAST(CAST(pg_catalog.pg_attribute.attrelid AS REGCLASS) AS TEXT), pg_catalog.pg_attribute.attname) AS REGCLASS) AS OID)) AS identity_options, CASE WHEN (pg_catalog.pg_attribute.attcollation != {collation} AND (SELECT pg_catalog.pg_type.typcollation FROM pg_catalog.pg_type WHERE pg_catalog.pg_type.oid = pg_catalog.pg_attribute.atttypid) != pg_catalog.pg_attribute.attcollation) THEN (SELECT pg_catalog.pg_collation.collname FROM pg_catalog.pg_collation WHERE pg_catalog.pg_collation.oid = pg_catalog.pg_attribute.attcollation) ELSE NULL END AS collation FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_attribute ON pg_catalog.pg_class.oid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_attribute.attnum > {attnum} AND NOT pg_catalog.pg_attribute.attisdropped LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_description.objsubid = pg_catalog.pg_attribute.attnum JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace WHERE ",
        j[0], j[1], j[2], j[3], j[4], j[5], j[6], j[7], j[8]
    ));
    q.class_filter(relations, 1);
    q.filter_names(names);
    q.push(" ORDER BY pg_catalog.pg_class.relname, pg_catalog.pg_attribute.attnum");
    q.done()
}

/// `_load_domains`: every domain type (sent once per inspector).
pub fn domains_query() -> Compiled {
    let mut q = Query::new();
    let def = q.bind("pg_get_constraintdef_1", SqlValue::Bool(true));
    let contypid = q.bind("contypid_1", SqlValue::Integer(0));
    let typtype = q.text("typtype_1", "d");
    q.push(&format!("SELECT pg_catalog.pg_type.typname AS name, pg_catalog.format_type(pg_catalog.pg_type.typbasetype, pg_catalog.pg_type.typtypmod) AS attype, NOT pg_catalog.pg_type.typnotnull AS nullable, pg_catalog.pg_type.typdefault AS \"default\", pg_catalog.pg_type_is_visible(pg_catalog.pg_type.oid) AS visible, pg_catalog.pg_namespace.nspname AS schema, domain_constraints.condefs, domain_constraints.connames, pg_catalog.pg_collation.collname FROM pg_catalog.pg_type JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_type.typnamespace LEFT OUTER JOIN pg_catalog.pg_collation ON pg_catalog.pg_type.typcollation = pg_catalog.pg_collation.oid LEFT OUTER JOIN (SELECT pg_catalog.pg_constraint.contypid AS contypid, array_agg(pg_catalog.pg_get_constraintdef(pg_catalog.pg_constraint.oid, {def})) AS condefs, array_agg(CAST(pg_catalog.pg_constraint.conname AS TEXT)) AS connames FROM pg_catalog.pg_constraint WHERE pg_catalog.pg_constraint.contypid != {contypid} GROUP BY pg_catalog.pg_constraint.contypid) AS domain_constraints ON pg_catalog.pg_type.oid = domain_constraints.contypid WHERE pg_catalog.pg_type.typtype = {typtype} ORDER BY pg_catalog.pg_namespace.nspname, pg_catalog.pg_type.typname"));
    q.done()
}

/// `_load_enums`: every enum type with its labels (sent once per
/// inspector).
pub fn enums_query() -> Compiled {
    let mut q = Query::new();
    let typtype = q.text("typtype_1", "e");
    q.push(&format!("SELECT pg_catalog.pg_type.typname AS name, pg_catalog.pg_type_is_visible(pg_catalog.pg_type.oid) AS visible, pg_catalog.pg_namespace.nspname AS schema, lbl_agg.labels AS labels FROM pg_catalog.pg_type JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_type.typnamespace LEFT OUTER JOIN (SELECT pg_catalog.pg_enum.enumtypid AS enumtypid, array_agg(CAST(pg_catalog.pg_enum.enumlabel AS TEXT) ORDER BY pg_catalog.pg_enum.enumsortorder) AS labels FROM pg_catalog.pg_enum GROUP BY pg_catalog.pg_enum.enumtypid) AS lbl_agg ON pg_catalog.pg_type.oid = lbl_agg.enumtypid WHERE pg_catalog.pg_type.typtype = {typtype} ORDER BY pg_catalog.pg_namespace.nspname, pg_catalog.pg_type.typname"));
    q.done()
}

/// `_get_table_oids`: (oid, relname) of each named relation.
pub fn table_oids_query(relations: Relations, names: &[String]) -> Compiled {
    let mut q = Query::new();
    q.push("SELECT pg_catalog.pg_class.oid, pg_catalog.pg_class.relname ");
    q.push(CLASS_JOIN_NAMESPACE);
    q.class_filter(relations, 1);
    q.filter_names(names);
    q.done()
}

fn oids(oids: &[i64]) -> Vec<SqlValue> {
    oids.iter().map(|o| SqlValue::Integer(*o)).collect()
}

/// `_constraint_query` for `contype` `'p'` (primary keys) or `'u'`
/// (unique constraints): per constraint its table's oid, columns in key
/// order (`cols`), name, comment, key-column count and
/// `NULLS NOT DISTINCT`.
pub fn constraint_query(contype: &str, table_oids: &[i64]) -> Compiled {
    let mut q = Query::new();
    let sub = q.bind("generate_subscripts_1", SqlValue::Integer(1));
    let class = q.text("param_1", "pg_catalog.pg_constraint");
    let con = q.text("contype", contype);
    let list = q.list("oids", &oids(table_oids));
    q.push(&format!("SELECT attr.conrelid, array_agg(CAST(attr.attname AS TEXT) ORDER BY attr.ord) AS cols, attr.conname, min(attr.description) AS description, min(attr.indnkeyatts) AS indnkeyatts, bool_and(attr.indnullsnotdistinct) AS indnullsnotdistinct FROM (SELECT con.conrelid AS conrelid, con.conname AS conname, con.description AS description, con.ord AS ord, con.indnkeyatts AS indnkeyatts, con.indnullsnotdistinct AS indnullsnotdistinct, pg_catalog.pg_attribute.attname AS attname FROM pg_catalog.pg_attribute JOIN (SELECT pg_catalog.pg_constraint.conrelid AS conrelid, pg_catalog.pg_constraint.conname AS conname, unnest(pg_catalog.pg_index.indkey) AS attnum, generate_subscripts(pg_catalog.pg_index.indkey, {sub}) AS ord, pg_catalog.pg_index.indnkeyatts AS indnkeyatts, pg_catalog.pg_index.indnullsnotdistinct AS indnullsnotdistinct, pg_catalog.pg_description.description AS description FROM pg_catalog.pg_constraint JOIN pg_catalog.pg_index ON pg_catalog.pg_constraint.conindid = pg_catalog.pg_index.indexrelid LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_constraint.oid AND pg_catalog.pg_description.classoid = CAST({class} AS REGCLASS) WHERE pg_catalog.pg_constraint.contype = {con} AND pg_catalog.pg_constraint.conrelid IN ({list})) AS con ON pg_catalog.pg_attribute.attnum = con.attnum AND pg_catalog.pg_attribute.attrelid = con.conrelid WHERE con.conrelid IN ({list})) AS attr GROUP BY attr.conrelid, attr.conname ORDER BY attr.conrelid, attr.conname"));
    q.done()
}

/// `_foreing_key_query` (sic): per table each foreign key's name,
/// `pg_get_constraintdef` text, referred schema and comment; a table with
/// none gives one row with a NULL name.
pub fn foreign_keys_query(relations: Relations, names: &[String]) -> Compiled {
    let mut q = Query::new();
    let def = q.bind("pg_get_constraintdef_1", SqlValue::Bool(true));
    let con = q.text("contype_1", "f");
    let class = q.text("param_1", "pg_catalog.pg_constraint");
    q.push(&format!("SELECT pg_catalog.pg_class.relname, pg_catalog.pg_constraint.conname, CASE WHEN (pg_catalog.pg_constraint.oid IS NOT NULL) THEN pg_catalog.pg_get_constraintdef(pg_catalog.pg_constraint.oid, {def}) END AS anon_1, nsp_ref.nspname, pg_catalog.pg_description.description FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_constraint ON pg_catalog.pg_class.oid = pg_catalog.pg_constraint.conrelid AND pg_catalog.pg_constraint.contype = {con} LEFT OUTER JOIN pg_catalog.pg_class AS cls_ref ON cls_ref.oid = pg_catalog.pg_constraint.confrelid LEFT OUTER JOIN pg_catalog.pg_namespace AS nsp_ref ON cls_ref.relnamespace = nsp_ref.oid LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_constraint.oid AND pg_catalog.pg_description.classoid = CAST({class} AS REGCLASS) JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace WHERE "));
    q.class_filter(relations, 2);
    q.filter_names(names);
    q.push(" ORDER BY pg_catalog.pg_class.relname, pg_catalog.pg_constraint.conname");
    q.done()
}

/// `get_multi_indexes`' query: every index but the primary key's of the
/// tables, ordered by table oid and index name.
pub fn indexes_query(table_oids: &[i64]) -> Compiled {
    let mut q = Query::new();
    let a1 = q.bind("attnum_1", SqlValue::Integer(0));
    let o1 = q.bind("ord_1", SqlValue::Integer(1));
    let d1 = q.bind("pg_get_indexdef_1", SqlValue::Bool(true));
    let a2 = q.bind("attnum_2", SqlValue::Integer(0));
    let sub = q.bind("generate_subscripts_1", SqlValue::Integer(1));
    let list = q.list("oids", &oids(table_oids));
    let kinds = [
        q.text("param_1", "p"),
        q.text("param_2", "u"),
        q.text("param_3", "x"),
    ];
    q.push(&format!("SELECT pg_catalog.pg_index.indrelid, pg_catalog.pg_class.relname, pg_catalog.pg_index.indisunique, pg_catalog.pg_constraint.conrelid IS NOT NULL AS has_constraint, pg_catalog.pg_index.indoption, pg_catalog.pg_class.reloptions, pg_catalog.pg_am.amname, CASE WHEN (pg_catalog.pg_index.indpred IS NOT NULL) THEN pg_catalog.pg_get_expr(pg_catalog.pg_index.indpred, pg_catalog.pg_index.indrelid) END AS filter_definition, pg_catalog.pg_index.indnkeyatts, pg_catalog.pg_index.indnullsnotdistinct, idx_cols.elements, idx_cols.elements_is_expr, idx_cols.elements_opclass, idx_cols.elements_opdefault FROM pg_catalog.pg_index JOIN pg_catalog.pg_class ON pg_catalog.pg_index.indexrelid = pg_catalog.pg_class.oid JOIN pg_catalog.pg_am ON pg_catalog.pg_class.relam = pg_catalog.pg_am.oid LEFT OUTER JOIN (SELECT idx_attr.indexrelid AS indexrelid, min(idx_attr.indrelid) AS min_1, array_agg(idx_attr.element ORDER BY idx_attr.ord) AS elements, array_agg(idx_attr.is_expr ORDER BY idx_attr.ord) AS elements_is_expr, array_agg(idx_attr.opcname ORDER BY idx_attr.ord) AS elements_opclass, array_agg(idx_attr.opcdefault ORDER BY idx_attr.ord) AS elements_opdefault FROM (SELECT idx.indexrelid AS indexrelid, idx.indrelid AS indrelid, idx.ord AS ord, CASE WHEN (idx.attnum = {a1}) THEN pg_catalog.pg_get_indexdef(idx.indexrelid, idx.ord + {o1}, {d1}) ELSE CAST(pg_catalog.pg_attribute.attname AS TEXT) END AS element, idx.attnum = {a2} AS is_expr, pg_catalog.pg_opclass.opcname AS opcname, pg_catalog.pg_opclass.opcdefault AS opcdefault FROM (SELECT pg_catalog.pg_index.indexrelid AS indexrelid, pg_catalog.pg_index.indrelid AS indrelid, unnest(pg_catalog.pg_index.indkey) AS attnum, unnest(pg_catalog.pg_index.indclass) AS att_opclass, generate_subscripts(pg_catalog.pg_index.indkey, {sub}) AS ord FROM pg_catalog.pg_index WHERE NOT pg_catalog.pg_index.indisprimary AND pg_catalog.pg_index.indrelid IN ({list})) AS idx LEFT OUTER JOIN pg_catalog.pg_attribute ON pg_catalog.pg_attribute.attnum = idx.attnum AND pg_catalog.pg_attribute.attrelid = idx.indrelid LEFT OUTER JOIN pg_catalog.pg_opclass ON pg_catalog.pg_opclass.oid = idx.att_opclass WHERE idx.indrelid IN ({list})) AS idx_attr GROUP BY idx_attr.indexrelid) AS idx_cols ON pg_catalog.pg_index.indexrelid = idx_cols.indexrelid LEFT OUTER JOIN pg_catalog.pg_constraint ON pg_catalog.pg_index.indrelid = pg_catalog.pg_constraint.conrelid AND pg_catalog.pg_index.indexrelid = pg_catalog.pg_constraint.conindid AND pg_catalog.pg_constraint.contype = ANY (ARRAY[{}, {}, {}]) WHERE pg_catalog.pg_index.indrelid IN ({list}) AND NOT pg_catalog.pg_index.indisprimary ORDER BY pg_catalog.pg_index.indrelid, pg_catalog.pg_class.relname", kinds[0], kinds[1], kinds[2]));
    q.done()
}

/// `get_multi_table_comment`'s query: each table's comment.
pub fn table_comment_query(relations: Relations, names: &[String]) -> Compiled {
    let mut q = Query::new();
    let sub = q.bind("objsubid_1", SqlValue::Integer(0));
    let class = q.text("param_1", "pg_catalog.pg_class");
    q.push(&format!("SELECT pg_catalog.pg_class.relname, pg_catalog.pg_description.description FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_class.oid = pg_catalog.pg_description.objoid AND pg_catalog.pg_description.objsubid = {sub} AND pg_catalog.pg_description.classoid = CAST({class} AS REGCLASS) JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace WHERE "));
    q.class_filter(relations, 2);
    q.filter_names(names);
    q.done()
}

/// `get_multi_check_constraints`' query: each table's CHECK constraints
/// with their definitions.
pub fn check_constraints_query(relations: Relations, names: &[String]) -> Compiled {
    let mut q = Query::new();
    let def = q.bind("pg_get_constraintdef_1", SqlValue::Bool(true));
    let con = q.text("contype_1", "c");
    let class = q.text("param_1", "pg_catalog.pg_constraint");
    q.push(&format!("SELECT pg_catalog.pg_class.relname, pg_catalog.pg_constraint.conname, CASE WHEN (pg_catalog.pg_constraint.oid IS NOT NULL) THEN pg_catalog.pg_get_constraintdef(pg_catalog.pg_constraint.oid, {def}) END AS anon_1, pg_catalog.pg_description.description FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_constraint ON pg_catalog.pg_class.oid = pg_catalog.pg_constraint.conrelid AND pg_catalog.pg_constraint.contype = {con} LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_constraint.oid AND pg_catalog.pg_description.classoid = CAST({class} AS REGCLASS) JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace WHERE "));
    q.class_filter(relations, 2);
    q.filter_names(names);
    q.push(" ORDER BY pg_catalog.pg_class.relname, pg_catalog.pg_constraint.conname");
    q.done()
}

/// A reflected column, as `_get_columns_info` makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct PgColumn {
    pub name: String,
    /// `format_type()`'s text: `character varying(50)`, `integer` …
    pub format_type: String,
    pub nullable: bool,
    /// The default's SQL: `nextval('users_id_seq'::regclass)`, `'x'::text`.
    pub default: Option<String>,
    pub comment: Option<String>,
    /// An integer column whose default is a sequence's `nextval`, or an
    /// identity column.
    pub autoincrement: bool,
}

/// A reflected type: the class `_reflect_type` picks from `ischema_names`
/// and its integer arguments (`VARCHAR`, `[50]`).
pub fn reflect_type(format_type: &str) -> (String, Vec<String>) {
    let (base, args) = match format_type.split_once('(') {
        Some((b, rest)) => {
            let inner = rest.split_once(')').map_or(rest, |(a, _)| a);
            let after = rest.split_once(')').map_or("", |(_, t)| t);
            (
                format!("{}{}", b.trim_end(), after),
                inner
                    .split(',')
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect::<Vec<_>>(),
            )
        }
        None => (format_type.to_string(), Vec::new()),
    };
    let base = base.trim_end_matches("[]").trim().to_lowercase();
    let class = match base.as_str() {
        "integer" => "INTEGER",
        "bigint" => "BIGINT",
        "smallint" => "SMALLINT",
        "character varying" => "VARCHAR",
        "character" => "CHAR",
        "text" => "TEXT",
        "numeric" => "NUMERIC",
        "real" => "REAL",
        "double precision" => "DOUBLE_PRECISION",
        "timestamp" | "timestamp with time zone" | "timestamp without time zone" => "TIMESTAMP",
        "time" | "time with time zone" | "time without time zone" => "TIME",
        "date" => "DATE",
        "boolean" => "BOOLEAN",
        "bytea" => "BYTEA",
        "json" => "JSON",
        "jsonb" => "JSONB",
        "uuid" => "UUID",
        "interval" => "INTERVAL",
        _ => "NullType",
    };
    let args = match class {
        "NUMERIC" if args.len() == 2 => args,
        "DOUBLE_PRECISION" => vec!["53".to_string()],
        "VARCHAR" | "CHAR" => args.into_iter().take(1).collect(),
        _ => Vec::new(),
    };
    (class.to_string(), args)
}

fn text(v: Option<&SqlValue>) -> Option<String> {
    match v {
        Some(SqlValue::Text(s)) => Some(s.clone()),
        Some(SqlValue::Integer(i)) => Some(i.to_string()),
        _ => None,
    }
}

fn int(v: Option<&SqlValue>) -> i64 {
    match v {
        Some(SqlValue::Integer(i)) => *i,
        _ => 0,
    }
}

fn truth(v: Option<&SqlValue>) -> bool {
    matches!(v, Some(SqlValue::Bool(true)))
}

fn texts(v: Option<&SqlValue>) -> Vec<String> {
    match v {
        Some(SqlValue::Array(items)) => items.iter().filter_map(|i| text(Some(i))).collect(),
        _ => Vec::new(),
    }
}

/// `get_multi_columns`' rows by table, in the rows' order; a table whose
/// row has a NULL column name has no columns.
pub fn columns_of(rows: &[Vec<SqlValue>]) -> Vec<(String, Vec<PgColumn>)> {
    let mut out: Vec<(String, Vec<PgColumn>)> = Vec::new();
    for row in rows {
        let table = text(row.get(4)).unwrap_or_default();
        if out.last().is_none_or(|(t, _)| *t != table) {
            out.push((table, Vec::new()));
        }
        let Some(name) = text(row.first()) else {
            continue;
        };
        let format_type = text(row.get(1)).unwrap_or_default();
        let generated = text(row.get(6)).unwrap_or_default();
        let mut default = text(row.get(2));
        if !generated.is_empty() && generated != "\0" {
            default = None;
        }
        let identity = !matches!(row.get(7), None | Some(SqlValue::Null));
        let integer = matches!(
            reflect_type(&format_type).0.as_str(),
            "INTEGER" | "BIGINT" | "SMALLINT"
        );
        let autoincrement =
            identity || (integer && default.as_deref().is_some_and(|d| d.contains("nextval('")));
        if let Some((_, cols)) = out.last_mut() {
            cols.push(PgColumn {
                name,
                format_type,
                nullable: !truth(row.get(3)),
                default,
                comment: text(row.get(5)),
                autoincrement,
            });
        }
    }
    out
}

/// (oid, name) rows of [`table_oids_query`].
pub fn oids_of(rows: &[Vec<SqlValue>]) -> Vec<(i64, String)> {
    rows.iter()
        .map(|r| (int(r.first()), text(r.get(1)).unwrap_or_default()))
        .collect()
}

/// A primary key or unique constraint of [`constraint_query`].
#[derive(Debug, Clone, PartialEq)]
pub struct PgConstraint {
    pub table_oid: i64,
    pub name: String,
    /// Key columns in order.
    pub columns: Vec<String>,
    /// `INCLUDE` columns.
    pub include: Vec<String>,
    pub comment: Option<String>,
    pub nulls_not_distinct: bool,
}

/// The rows of [`constraint_query`].
pub fn constraints_of(rows: &[Vec<SqlValue>]) -> Vec<PgConstraint> {
    rows.iter()
        .map(|r| {
            let mut columns = texts(r.get(1));
            let keys = usize::try_from(int(r.get(4))).unwrap_or(columns.len());
            let include = if keys < columns.len() {
                columns.split_off(keys)
            } else {
                Vec::new()
            };
            PgConstraint {
                table_oid: int(r.first()),
                name: text(r.get(2)).unwrap_or_default(),
                columns,
                include,
                comment: text(r.get(3)),
                nulls_not_distinct: truth(r.get(5)),
            }
        })
        .collect()
}

/// A foreign key of [`foreign_keys_query`], `_parse_fk`'s reading of its
/// definition.
#[derive(Debug, Clone, PartialEq)]
pub struct PgForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub referred_schema: Option<String>,
    pub referred_table: String,
    pub referred_columns: Vec<String>,
    /// `onupdate`, `ondelete`, `initially`, `deferrable`, `match`, in
    /// that order, those set and not `NO ACTION`.
    pub options: Vec<(String, String)>,
    pub comment: Option<String>,
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => s.to_string(),
    }
}

/// `FOREIGN KEY (a, b) REFERENCES [schema.]t(c, d) [ON UPDATE x] [ON
/// DELETE y] [DEFERRABLE] [INITIALLY z]`, as `pg_get_constraintdef` writes
/// it.
pub fn parse_fk(condef: &str) -> Option<PgForeignKey> {
    let rest = condef.strip_prefix("FOREIGN KEY (")?;
    let (cols, rest) = rest.split_once(") REFERENCES ")?;
    let open = rest.find('(')?;
    let target = &rest[..open];
    let (schema, table) = match target.rsplit_once('.') {
        Some((s, t)) => (Some(unquote(s)), unquote(t)),
        None => (None, unquote(target)),
    };
    let close = rest[open..].find(')')? + open;
    let referred = &rest[open + 1..close];
    let tail = rest[close + 1..].trim();
    let mut options = Vec::new();
    let find = |key: &str, stops: &[&str]| -> Option<String> {
        let at = tail.find(key)?;
        let after = &tail[at + key.len()..];
        let end = stops
            .iter()
            .filter_map(|s| after.find(s))
            .min()
            .unwrap_or(after.len());
        Some(after[..end].trim().to_string())
    };
    let stops = [
        " ON ",
        " DEFERRABLE",
        " NOT DEFERRABLE",
        " INITIALLY",
        " MATCH",
    ];
    let onupdate = find("ON UPDATE ", &stops);
    let ondelete = find("ON DELETE ", &stops);
    let initially = find("INITIALLY ", &stops);
    let matched = find("MATCH ", &stops);
    let deferrable = if tail.contains("NOT DEFERRABLE") {
        Some("False".to_string())
    } else if tail.contains("DEFERRABLE") {
        Some("True".to_string())
    } else {
        None
    };
    for (k, v) in [
        ("onupdate", onupdate),
        ("ondelete", ondelete),
        ("initially", initially),
        ("deferrable", deferrable),
        ("match", matched),
    ] {
        if let Some(v) = v.filter(|v| v != "NO ACTION") {
            options.push((k.to_string(), v));
        }
    }
    Some(PgForeignKey {
        name: String::new(),
        columns: cols.split(',').map(unquote).collect(),
        referred_schema: schema,
        referred_table: table,
        referred_columns: referred.split(',').map(unquote).collect(),
        options,
        comment: None,
    })
}

/// The rows of [`foreign_keys_query`] by table (a table with none has an
/// empty list).
pub fn foreign_keys_of(rows: &[Vec<SqlValue>]) -> Vec<(String, Vec<PgForeignKey>)> {
    let mut out: Vec<(String, Vec<PgForeignKey>)> = Vec::new();
    for row in rows {
        let table = text(row.first()).unwrap_or_default();
        if out.last().is_none_or(|(t, _)| *t != table) {
            out.push((table, Vec::new()));
        }
        let (Some(name), Some(def)) = (text(row.get(1)), text(row.get(2))) else {
            continue;
        };
        if let (Some(mut fk), Some((_, fks))) = (parse_fk(&def), out.last_mut()) {
            fk.name = name;
            fk.comment = text(row.get(4));
            fks.push(fk);
        }
    }
    out
}

/// An index of [`indexes_query`].
#[derive(Debug, Clone, PartialEq)]
pub struct PgIndex {
    pub table_oid: i64,
    pub name: String,
    pub unique: bool,
    /// Key columns; `None` for an expression.
    pub columns: Vec<Option<String>>,
    /// The expressions' text, when any element is one.
    pub expressions: Option<Vec<String>>,
    pub include: Vec<String>,
    /// It backs a constraint of the same name (`duplicates_constraint`).
    pub has_constraint: bool,
}

/// The rows of [`indexes_query`].
pub fn indexes_of(rows: &[Vec<SqlValue>]) -> Vec<PgIndex> {
    rows.iter()
        .map(|r| {
            let mut elements = texts(r.get(10));
            let mut is_expr: Vec<bool> = match r.get(11) {
                Some(SqlValue::Array(a)) => a.iter().map(|v| truth(Some(v))).collect(),
                _ => Vec::new(),
            };
            let keys = usize::try_from(int(r.get(8))).unwrap_or(elements.len());
            let include = if keys < elements.len() {
                is_expr.truncate(keys);
                elements.split_off(keys)
            } else {
                Vec::new()
            };
            let any_expr = is_expr.iter().any(|e| *e);
            PgIndex {
                table_oid: int(r.first()),
                name: text(r.get(1)).unwrap_or_default(),
                unique: truth(r.get(2)),
                columns: elements
                    .iter()
                    .zip(is_expr.iter().chain(std::iter::repeat(&false)))
                    .map(|(e, x)| (!x).then(|| e.clone()))
                    .collect(),
                expressions: any_expr.then(|| elements.clone()),
                include,
                has_constraint: truth(r.get(3)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_as_reflect_type_reads_format_type() {
        let t = |s: &str| reflect_type(s);
        assert_eq!(
            t("character varying(50)"),
            ("VARCHAR".into(), vec!["50".into()])
        );
        assert_eq!(t("integer"), ("INTEGER".into(), vec![]));
        assert_eq!(
            t("numeric(10,2)"),
            ("NUMERIC".into(), vec!["10".into(), "2".into()])
        );
        assert_eq!(t("timestamp without time zone").0, "TIMESTAMP");
        assert_eq!(t("double precision").1, vec!["53".to_string()]);
        assert_eq!(t("tsvector").0, "NullType");
    }

    #[test]
    fn foreign_key_definitions() {
        let fk = parse_fk("FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE")
            .expect("parses");
        assert_eq!(fk.columns, ["user_id"]);
        assert_eq!(fk.referred_table, "users");
        assert_eq!(fk.referred_columns, ["id"]);
        assert_eq!(
            fk.options,
            [("ondelete".to_string(), "CASCADE".to_string())]
        );
        let fk =
            parse_fk("FOREIGN KEY (a, \"B\") REFERENCES s.t(x, y) DEFERRABLE INITIALLY DEFERRED")
                .expect("parses");
        assert_eq!(fk.columns, ["a", "B"]);
        assert_eq!(fk.referred_schema.as_deref(), Some("s"));
        assert_eq!(
            fk.options,
            [
                ("initially".to_string(), "DEFERRED".to_string()),
                ("deferrable".to_string(), "True".to_string())
            ]
        );
    }

    #[test]
    fn queries_number_their_lists() {
        let q = table_oids_query(Relations::Tables, &["a".into(), "b".into()]);
        assert!(
            q.sql
                .ends_with("IN (%(filter_names_1)s, %(filter_names_2)s)")
        );
        assert!(q.sql.contains("relpersistence != %(relpersistence_1)s"));
        let q = constraint_query("p", &[7, 8]);
        assert_eq!(
            q.params
                .iter()
                .filter(|p| p.name.starts_with("oids"))
                .count(),
            2
        );
    }
}
