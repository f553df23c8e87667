//! Autogenerate's rendering: the `op.…` calls Alembic 1.x writes into a
//! migration's `upgrade()` / `downgrade()` (`alembic/autogenerate/render.py`,
//! `render_python_code`), for the operations a comparison of `MetaData`
//! with the database yields (`compare.rs`), and the revision file
//! `alembic revision --autogenerate` writes (`script.py.mako`).

use crate::sql::schema::{NativeEnum, SqlType};

use super::ddl::ConstraintSpec;

/// A column type as autogenerate sees it: the model's (`sa.String(length=50)`)
/// or one reflected from the database, as SQLite declares it
/// (`VARCHAR(50)`, rendered `sa.VARCHAR(length=50)`).
#[derive(Debug, Clone, PartialEq)]
pub enum AgType {
    Meta(SqlType),
    Reflected(String),
}

impl AgType {
    /// The type's `repr()`: `String(length=50)`, `VARCHAR(length=50)`.
    pub fn repr(&self) -> String {
        render_ag_type(self)
            .strip_prefix("sa.")
            .map(str::to_string)
            .unwrap_or_default()
    }
}

/// A constraint or index name; `conv` when SQLAlchemy made it (a naming
/// convention's `ix_users_age`, or a reflected name), which Alembic renders
/// as `op.f('ix_users_age')`.
#[derive(Debug, Clone, PartialEq)]
pub struct GenName {
    pub name: String,
    pub conv: bool,
}

impl GenName {
    fn render(&self) -> String {
        if self.conv {
            format!("op.f({})", py_str(&self.name))
        } else {
            py_str(&self.name)
        }
    }
}

fn opt_name(n: &Option<GenName>) -> String {
    n.as_ref().map_or("None".to_string(), GenName::render)
}

/// A column as autogenerate renders it: `sa.Column('age', sa.Integer(),
/// nullable=True)`; `server_default` is the Python expression rendered
/// (`'x'`, `sa.text("'0'")`).
#[derive(Debug, Clone, PartialEq)]
pub struct RenderColumn {
    pub name: String,
    pub sql_type: AgType,
    pub nullable: bool,
    pub server_default: Option<String>,
    /// Rendered as `autoincrement=…` when not `None` (SQLAlchemy's
    /// `"auto"`): a column reflected from PostgreSQL.
    pub autoincrement: Option<bool>,
}

/// Where a `create_table`'s columns and constraints came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TableSource {
    /// The model's `MetaData`: constraint names rendered as given.
    Metadata,
    /// Reflected from the database (a removed table's downgrade): names as
    /// `op.f('…')`; from PostgreSQL a unique constraint also renders the
    /// dialect options reflection gave it (`postgresql_include=[],
    /// postgresql_nulls_not_distinct=False`).
    Reflected { postgresql: bool },
}

/// One operation of a migration (Alembic's `MigrateOperation`s).
#[derive(Debug, Clone, PartialEq)]
pub enum MigrateOp {
    AddColumn(String, RenderColumn),
    DropColumn(String, String),
    /// Table, columns, constraints (rendered sorted, as Alembic does),
    /// and where they came from.
    CreateTable(String, Vec<RenderColumn>, Vec<ConstraintSpec>, TableSource),
    DropTable(String),
    /// `reflected`: the index came from the database, whose `unique`
    /// SQLAlchemy reflects as an int (a unique one renders `unique=1`).
    CreateIndex {
        name: GenName,
        table: String,
        columns: Vec<String>,
        unique: bool,
        reflected: bool,
    },
    DropIndex {
        name: GenName,
        table: String,
    },
    /// `op.alter_column(...)` with what changed and what it was.
    AlterColumn {
        table: String,
        column: String,
        existing_type: AgType,
        type_: Option<AgType>,
        nullable: Option<bool>,
        existing_nullable: Option<bool>,
        existing_server_default: Option<String>,
    },
    CreateUniqueConstraint {
        name: Option<GenName>,
        table: String,
        columns: Vec<String>,
        /// Dialect options rendered as keywords (`postgresql_nulls_not_distinct=False`).
        dialect_kwargs: Vec<(String, String)>,
    },
    /// `op.drop_constraint(name, table, type_='unique'|'foreignkey')`.
    DropConstraint {
        name: Option<GenName>,
        table: String,
        type_: &'static str,
    },
    CreateForeignKey {
        name: Option<GenName>,
        source: String,
        referent: String,
        local: Vec<String>,
        remote: Vec<String>,
        ondelete: Option<String>,
    },
}

/// A Python string literal as `repr()` writes it (single quotes).
pub fn py_str(s: &str) -> String {
    if s.contains('\'') && !s.contains('"') {
        format!("\"{s}\"")
    } else {
        format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

fn py_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| py_str(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `sa.String(length=50)`, `sa.Numeric(precision=10, scale=2)`: a type as
/// `render._repr_type` writes it.
pub fn render_type(t: &SqlType) -> String {
    let args = |p: &Option<u32>, s: &Option<u32>| match (p, s) {
        (Some(p), Some(s)) => format!("precision={p}, scale={s}"),
        (Some(p), None) => format!("precision={p}"),
        _ => String::new(),
    };
    match t {
        SqlType::String(Some(n)) => format!("sa.String(length={n})"),
        SqlType::Char(Some(n)) => format!("sa.CHAR(length={n})"),
        SqlType::Numeric(p, s) => format!("sa.Numeric({})", args(p, s)),
        SqlType::Decimal(p, s) => format!("sa.DECIMAL({})", args(p, s)),
        // `Enum`'s repr: its labels, then `name=` and `native_enum=False`
        // where they differ from the defaults.
        SqlType::Enum(names, _, native) => {
            let mut args: Vec<String> = names.iter().map(|n| py_str(n)).collect();
            match native {
                NativeEnum::Named(name) => args.push(format!("name={}", py_str(name))),
                NativeEnum::Off => args.push("native_enum=False".into()),
                NativeEnum::Unnamed => {}
            }
            format!("sa.Enum({})", args.join(", "))
        }
        other => format!("sa.{}()", other.python_name()),
    }
}

/// A type as `render._repr_type` writes it, the model's or a reflected one
/// (`sa.VARCHAR(length=20)`, `sa.NUMERIC(precision=10, scale=2)`,
/// `sa.INTEGER()`).
pub fn render_ag_type(t: &AgType) -> String {
    match t {
        AgType::Meta(t) => render_type(t),
        AgType::Reflected(sql) => {
            let (name, args) = match sql.split_once('(') {
                Some((n, rest)) => (
                    n.trim().to_string(),
                    rest.trim_end_matches(')')
                        .split(',')
                        .map(|a| a.trim().to_string())
                        .filter(|a| !a.is_empty())
                        .collect::<Vec<_>>(),
                ),
                None => (sql.trim().to_string(), Vec::new()),
            };
            let name = if name.is_empty() {
                "NullType".to_string()
            } else {
                name.replace(' ', "_")
            };
            let keys: &[&str] = match name.as_str() {
                "NUMERIC" | "DECIMAL" | "FLOAT" | "REAL" | "DOUBLE" | "DOUBLE_PRECISION" => {
                    &["precision", "scale"]
                }
                _ => &["length"],
            };
            let rendered: Vec<String> = args
                .iter()
                .zip(keys)
                .map(|(a, k)| format!("{k}={a}"))
                .collect();
            format!("sa.{name}({})", rendered.join(", "))
        }
    }
}

/// `sa.Column('age', sa.Integer(), nullable=True)`; Alembic's
/// `_render_column` puts `server_default`, then `autoincrement`, before
/// `nullable`.
pub fn render_column(c: &RenderColumn) -> String {
    let mut default = c
        .server_default
        .as_ref()
        .map_or(String::new(), |d| format!("server_default={d}, "));
    if let Some(a) = c.autoincrement {
        default.push_str(&format!("autoincrement={}, ", py_bool(a)));
    }
    format!(
        "sa.Column({}, {}, {default}nullable={})",
        py_str(&c.name),
        render_ag_type(&c.sql_type),
        if c.nullable { "True" } else { "False" }
    )
}

/// A table-level constraint as `create_table` lists it; names reflected
/// from the database as `name=op.f('uq_x')`.
pub fn render_constraint(c: &ConstraintSpec, source: TableSource) -> String {
    let conv = matches!(source, TableSource::Reflected { .. });
    let name = |n: &Option<String>| {
        n.as_ref().map_or(String::new(), |n| {
            format!(
                ", name={}",
                GenName {
                    name: n.clone(),
                    conv
                }
                .render()
            )
        })
    };
    let cols = |cs: &[String]| cs.iter().map(|c| py_str(c)).collect::<Vec<_>>().join(", ");
    match c {
        ConstraintSpec::PrimaryKey { name: n, columns } => {
            format!("sa.PrimaryKeyConstraint({}{})", cols(columns), name(n))
        }
        ConstraintSpec::Unique { name: n, columns } => {
            // the PostgreSQL dialect's reflected options; the tutor's
            // tables never have INCLUDE or NULLS NOT DISTINCT
            let options = match source {
                TableSource::Reflected { postgresql: true } => {
                    ", postgresql_include=[], postgresql_nulls_not_distinct=False"
                }
                _ => "",
            };
            format!("sa.UniqueConstraint({}{}{options})", cols(columns), name(n))
        }
        ConstraintSpec::ForeignKey {
            name: n,
            columns,
            referred_table,
            referred_columns,
            ondelete,
        } => {
            let refs: Vec<String> = referred_columns
                .iter()
                .map(|c| format!("{referred_table}.{c}"))
                .collect();
            let mut extra = name(n);
            if let Some(d) = ondelete {
                extra.push_str(&format!(", ondelete={}", py_str(d)));
            }
            // Alembic closes a foreign key without keywords with `, )`
            let close = if extra.is_empty() { ", )" } else { ")" };
            format!(
                "sa.ForeignKeyConstraint({}, {}{extra}{close}",
                py_list(columns),
                py_list(&refs)
            )
        }
        ConstraintSpec::Check { name: n, sql } => {
            format!("sa.CheckConstraint({}{})", py_str(sql), name(n))
        }
    }
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn render_op(op: &MigrateOp) -> String {
    match op {
        MigrateOp::AddColumn(t, c) => {
            format!("op.add_column({}, {})", py_str(t), render_column(c))
        }
        MigrateOp::DropColumn(t, c) => format!("op.drop_column({}, {})", py_str(t), py_str(c)),
        MigrateOp::CreateTable(t, columns, constraints, source) => {
            let mut args: Vec<String> = columns.iter().map(render_column).collect();
            let mut rendered: Vec<String> = constraints
                .iter()
                .map(|c| render_constraint(c, *source))
                .collect();
            rendered.sort();
            args.extend(rendered);
            format!("op.create_table({},\n{}\n)", py_str(t), args.join(",\n"))
        }
        MigrateOp::DropTable(t) => format!("op.drop_table({})", py_str(t)),
        MigrateOp::CreateIndex {
            name,
            table,
            columns,
            unique,
            reflected,
        } => format!(
            "op.create_index({}, {}, {}, unique={})",
            name.render(),
            py_str(table),
            py_list(columns),
            // `index.unique or False`
            match (unique, reflected) {
                (true, true) => "1",
                (true, false) => "True",
                _ => "False",
            }
        ),
        MigrateOp::DropIndex { name, table } => format!(
            "op.drop_index({}, table_name={})",
            name.render(),
            py_str(table)
        ),
        MigrateOp::AlterColumn {
            table,
            column,
            existing_type,
            type_,
            nullable,
            existing_nullable,
            existing_server_default,
        } => {
            // `render._alter_column`: continuation lines indented 11 spaces
            let indent = " ".repeat(11);
            let mut text = format!(
                "op.alter_column({}, {},\n{indent}existing_type={}",
                py_str(table),
                py_str(column),
                render_ag_type(existing_type)
            );
            if let Some(t) = type_ {
                text.push_str(&format!(",\n{indent}type_={}", render_ag_type(t)));
            }
            if let Some(n) = nullable {
                text.push_str(&format!(",\n{indent}nullable={}", py_bool(*n)));
            }
            if nullable.is_none()
                && let Some(n) = existing_nullable
            {
                text.push_str(&format!(",\n{indent}existing_nullable={}", py_bool(*n)));
            }
            if let Some(d) = existing_server_default {
                text.push_str(&format!(",\n{indent}existing_server_default={d}"));
            }
            text.push(')');
            text
        }
        MigrateOp::CreateUniqueConstraint {
            name,
            table,
            columns,
            dialect_kwargs,
        } => format!(
            "op.create_unique_constraint({}, {}, {}{})",
            opt_name(name),
            py_str(table),
            py_list(columns),
            dialect_kwargs
                .iter()
                .map(|(k, v)| format!(", {k}={v}"))
                .collect::<String>()
        ),
        MigrateOp::DropConstraint { name, table, type_ } => format!(
            "op.drop_constraint({}, {}, type_={})",
            opt_name(name),
            py_str(table),
            py_str(type_)
        ),
        MigrateOp::CreateForeignKey {
            name,
            source,
            referent,
            local,
            remote,
            ondelete,
        } => {
            let ondelete = ondelete
                .as_ref()
                .map_or(String::new(), |d| format!(", ondelete={}", py_str(d)));
            format!(
                "op.create_foreign_key({}, {}, {}, {}, {}{ondelete})",
                opt_name(name),
                py_str(source),
                py_str(referent),
                py_list(local),
                py_list(remote)
            )
        }
    }
}

/// Alembic's `render_python_code(UpgradeOps(ops=…))`: the body of
/// `upgrade()` (or `downgrade()`) between its generated-code comments,
/// every line after the first indented by four spaces; `pass` when empty.
pub fn render_python_code(ops: &[MigrateOp]) -> String {
    let mut lines =
        vec!["# ### commands auto generated by Alembic - please adjust! ###".to_string()];
    if ops.is_empty() {
        lines.push("    pass".into());
    }
    // `render._indent`: every line of an operation four spaces in
    for op in ops {
        for line in render_op(op).split('\n') {
            lines.push(format!("    {line}"));
        }
    }
    lines.push("    # ### end Alembic commands ###".into());
    lines.join("\n")
}

/// The revision file Alembic's `generic` template (`script.py.mako`)
/// makes of `message`, a revision id, the revision it revises (`None`:
/// the first), its create date and the two bodies.
pub fn revision_script(
    message: &str,
    rev_id: &str,
    down_revision: Option<&str>,
    create_date: &str,
    upgrade: &[MigrateOp],
    downgrade: &[MigrateOp],
) -> String {
    format!(
        "\"\"\"{message}\n\nRevision ID: {rev_id}\nRevises: {}\nCreate Date: {create_date}\n\n\"\"\"\n\
         from typing import Sequence, Union\n\nfrom alembic import op\nimport sqlalchemy as sa\n\n\n\
         # revision identifiers, used by Alembic.\nrevision: str = {}\n\
         down_revision: Union[str, Sequence[str], None] = {}\n\
         branch_labels: Union[str, Sequence[str], None] = None\n\
         depends_on: Union[str, Sequence[str], None] = None\n\n\n\
         def upgrade() -> None:\n    \"\"\"Upgrade schema.\"\"\"\n    {}\n\n\n\
         def downgrade() -> None:\n    \"\"\"Downgrade schema.\"\"\"\n    {}\n",
        down_revision.unwrap_or(""),
        py_str(rev_id),
        down_revision.map_or("None".to_string(), py_str),
        render_python_code(upgrade),
        render_python_code(downgrade)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, t: SqlType, nullable: bool) -> RenderColumn {
        RenderColumn {
            name: name.into(),
            sql_type: AgType::Meta(t),
            nullable,
            server_default: None,
            autoincrement: None,
        }
    }

    /// Expected text from Alembic 1.20's `render_python_code` on the same
    /// operations (`ops.AddColumnOp`, `ops.CreateTableOp`, …).
    #[test]
    fn migrations_render_as_alembic_writes_them() {
        let mut nick = col("nick", SqlType::String(Some(50)), false);
        nick.server_default = Some("'x'".into());
        let ops = [
            MigrateOp::AddColumn("users".into(), col("age", SqlType::Integer, true)),
            MigrateOp::AddColumn("users".into(), nick),
            MigrateOp::DropColumn("users".into(), "old".into()),
            MigrateOp::CreateIndex {
                name: GenName {
                    name: "ix_users_age".into(),
                    conv: false,
                },
                table: "users".into(),
                columns: vec!["age".into()],
                unique: false,
                reflected: false,
            },
            MigrateOp::CreateTable(
                "tags".into(),
                vec![
                    col("id", SqlType::Integer, false),
                    col("name", SqlType::String(Some(50)), true),
                    col("user_id", SqlType::Integer, true),
                ],
                vec![
                    ConstraintSpec::ForeignKey {
                        name: None,
                        columns: vec!["user_id".into()],
                        referred_table: "users".into(),
                        referred_columns: vec!["id".into()],
                        ondelete: None,
                    },
                    ConstraintSpec::PrimaryKey {
                        name: None,
                        columns: vec!["id".into()],
                    },
                    ConstraintSpec::Unique {
                        name: None,
                        columns: vec!["name".into()],
                    },
                ],
                TableSource::Metadata,
            ),
            MigrateOp::DropTable("old_table".into()),
            MigrateOp::DropIndex {
                name: GenName {
                    name: "ix_old".into(),
                    conv: true,
                },
                table: "users".into(),
            },
        ];
        assert_eq!(
            render_python_code(&ops),
            "# ### commands auto generated by Alembic - please adjust! ###\n    op.add_column('users', sa.Column('age', sa.Integer(), nullable=True))\n    op.add_column('users', sa.Column('nick', sa.String(length=50), server_default='x', nullable=False))\n    op.drop_column('users', 'old')\n    op.create_index('ix_users_age', 'users', ['age'], unique=False)\n    op.create_table('tags',\n    sa.Column('id', sa.Integer(), nullable=False),\n    sa.Column('name', sa.String(length=50), nullable=True),\n    sa.Column('user_id', sa.Integer(), nullable=True),\n    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),\n    sa.PrimaryKeyConstraint('id'),\n    sa.UniqueConstraint('name')\n    )\n    op.drop_table('old_table')\n    op.drop_index(op.f('ix_old'), table_name='users')\n    # ### end Alembic commands ###"
        );
    }

    /// The file `alembic revision --autogenerate -m "add age"` wrote
    /// (Alembic 1.20, generic template) for one added column.
    #[test]
    fn a_revision_file_is_alembics_template() {
        let up = [MigrateOp::AddColumn(
            "users".into(),
            col("age", SqlType::Integer, true),
        )];
        let down = [MigrateOp::DropColumn("users".into(), "age".into())];
        assert_eq!(
            revision_script(
                "add age",
                "b16e370801d5",
                None,
                "2026-12-05 12:22:56.942022",
                &up,
                &down
            ),
            "\"\"\"add age\n\nRevision ID: b16e370801d5\nRevises: \nCreate Date: 2026-12-05 12:22:56.942022\n\n\"\"\"\nfrom typing import Sequence, Union\n\nfrom alembic import op\nimport sqlalchemy as sa\n\n\n# revision identifiers, used by Alembic.\nrevision: str = 'b16e370801d5'\ndown_revision: Union[str, Sequence[str], None] = None\nbranch_labels: Union[str, Sequence[str], None] = None\ndepends_on: Union[str, Sequence[str], None] = None\n\n\ndef upgrade() -> None:\n    \"\"\"Upgrade schema.\"\"\"\n    # ### commands auto generated by Alembic - please adjust! ###\n    op.add_column('users', sa.Column('age', sa.Integer(), nullable=True))\n    # ### end Alembic commands ###\n\n\ndef downgrade() -> None:\n    \"\"\"Downgrade schema.\"\"\"\n    # ### commands auto generated by Alembic - please adjust! ###\n    op.drop_column('users', 'age')\n    # ### end Alembic commands ###\n"
        );
    }

    #[test]
    fn types_render_as_alembic_writes_them() {
        assert_eq!(
            render_python_code(&[]),
            "# ### commands auto generated by Alembic - please adjust! ###\n    pass\n    # ### end Alembic commands ###"
        );
        assert_eq!(
            render_type(&SqlType::Enum(
                vec!["a".into(), "bb".into()],
                None,
                crate::sql::schema::NativeEnum::Off
            )),
            "sa.Enum('a', 'bb', native_enum=False)"
        );
        assert_eq!(
            render_type(&SqlType::Enum(
                vec!["a".into()],
                None,
                crate::sql::schema::NativeEnum::Named("s_t".into())
            )),
            "sa.Enum('a', name='s_t')"
        );
        let rendered: Vec<String> = [
            SqlType::BigInteger,
            SqlType::String(None),
            SqlType::Text,
            SqlType::Boolean,
            SqlType::DateTime,
            SqlType::Numeric(Some(10), Some(2)),
            SqlType::Char(Some(3)),
            SqlType::LargeBinary,
            SqlType::Json,
            SqlType::Uuid,
            SqlType::Decimal(Some(10), Some(2)),
        ]
        .iter()
        .map(render_type)
        .collect();
        assert_eq!(
            rendered,
            [
                "sa.BigInteger()",
                "sa.String()",
                "sa.Text()",
                "sa.Boolean()",
                "sa.DateTime()",
                "sa.Numeric(precision=10, scale=2)",
                "sa.CHAR(length=3)",
                "sa.LargeBinary()",
                "sa.JSON()",
                "sa.Uuid()",
                "sa.DECIMAL(precision=10, scale=2)"
            ]
        );
    }

    /// Alembic 1.20's `render_python_code` of a table removed on
    /// PostgreSQL (golden p42): reflected columns carry `autoincrement`,
    /// constraints their reflected names and a unique one its dialect
    /// options.
    #[test]
    fn a_table_reflected_from_postgresql_renders_its_reflected_options() {
        let reflected = |name: &str, ty: &str, nullable: bool, autoincrement: bool| RenderColumn {
            name: name.into(),
            sql_type: AgType::Reflected(ty.into()),
            nullable,
            server_default: None,
            autoincrement: Some(autoincrement),
        };
        let ops = [MigrateOp::CreateTable(
            "notes".into(),
            vec![
                reflected("id", "INTEGER", false, true),
                reflected("body", "VARCHAR(40)", false, false),
            ],
            vec![
                ConstraintSpec::PrimaryKey {
                    name: Some("notes_pkey".into()),
                    columns: vec!["id".into()],
                },
                ConstraintSpec::Unique {
                    name: Some("notes_body_key".into()),
                    columns: vec!["body".into()],
                },
            ],
            TableSource::Reflected { postgresql: true },
        )];
        assert_eq!(
            render_python_code(&ops),
            "# ### commands auto generated by Alembic - please adjust! ###\n    op.create_table('notes',\n    sa.Column('id', sa.INTEGER(), autoincrement=True, nullable=False),\n    sa.Column('body', sa.VARCHAR(length=40), autoincrement=False, nullable=False),\n    sa.PrimaryKeyConstraint('id', name=op.f('notes_pkey')),\n    sa.UniqueConstraint('body', name=op.f('notes_body_key'), postgresql_include=[], postgresql_nulls_not_distinct=False)\n    )\n    # ### end Alembic commands ###"
        );
    }
}
