//! Column expressions: `visit_column`, `visit_binary`, `visit_function`,
//! grouping by precedence (`self_group`).

use super::*;

impl SqlCompiler<'_> {
    // -- column expressions -------------------------------------------------

    /// SQLAlchemy's `self_group(against)` for `e`, decided at render time.
    pub(super) fn self_group(&self, e: &Expr, against: Against) -> Grouping {
        if bool_const(e).is_some() {
            return if against.wants_boolean() {
                Grouping::AsTrue
            } else {
                Grouping::Plain
            };
        }
        if as_boolean_false(e).is_some() {
            return Grouping::Plain;
        }
        let grouped_if = |b: bool| if b { Grouping::Parens } else { Grouping::Plain };
        match e {
            Expr::Label { expr, .. } => self.self_group(expr, against),
            Expr::Column(_) => {
                if against.wants_boolean() && is_boolean_column(e) {
                    Grouping::AsTrue
                } else {
                    Grouping::Plain
                }
            }
            Expr::Binary { op, right, .. } => {
                let op = effective_operator(*op, right);
                grouped_if(operator_needs_group(Against::Binary(op), against))
            }
            Expr::In { negated, .. } => {
                let op = if *negated {
                    Against::NotIn
                } else {
                    Against::In
                };
                grouped_if(operator_needs_group(op, against))
            }
            Expr::Between { negated, .. } => {
                let op = if *negated {
                    Against::NotBetween
                } else {
                    Against::Between
                };
                grouped_if(operator_needs_group(op, against))
            }
            Expr::BoolList { op, clauses } => {
                let reduced = process_clauses_for_boolean(*op, clauses);
                match reduced.as_slice() {
                    [] => Grouping::Plain,
                    [single] => match self.self_group(single, Against::AsBool) {
                        Grouping::AsTrue => Grouping::Plain,
                        _ => self.self_group(single, against),
                    },
                    _ => {
                        let me = match op {
                            BoolOp::And => Against::And,
                            BoolOp::Or => Against::Or,
                        };
                        grouped_if(operator_needs_group(me, against))
                    }
                }
            }
            Expr::Not(_) => grouped_if(is_precedent(Against::Inv, against)),
            Expr::Neg(_) => grouped_if(is_precedent(Against::Neg, against)),
            Expr::Distinct(_) => grouped_if(is_precedent(Against::DistinctOp, against)),
            // `operators.exists` has precedence 0.
            Expr::Exists(_) => grouped_if(against.precedence() >= 0),
            _ => Grouping::Plain,
        }
    }

    /// Renders `e` as placed under an operator: `e.self_group(against)`.
    pub(super) fn grouped(&mut self, e: &Expr, against: Against) -> String {
        match self.self_group(e, against) {
            Grouping::Plain => self.process(e),
            Grouping::Parens => format!("({})", self.process(e)),
            // `visit_is_true_unary_operator`: `x = 1` without native boolean.
            Grouping::AsTrue if self.dialect.native_boolean => self.process(e),
            Grouping::AsTrue => format!("{} = 1", self.process(e)),
        }
    }

    /// An operand of a comparison: a bind takes its key from the other side.
    pub(super) fn operand(&mut self, e: &Expr, against: Against, key: &NameT) -> String {
        match e {
            Expr::Bind(v) => self.visit_bindparam(v, key),
            Expr::BindParam { .. } => self.process(e),
            Expr::LikePattern {
                value,
                leading,
                trailing,
            } if matches!(self.self_group(e, against), Grouping::Plain) => {
                self.visit_like_pattern(value, *leading, *trailing, key)
            }
            _ => self.grouped(e, against),
        }
    }

    /// The pattern of `contains()` / `startswith()` / `endswith()`: `'%' ||
    /// ? || '%'` (`'%%'` for a pyformat driver); a bound value is named after
    /// the other side of the LIKE (`name_1`).
    fn visit_like_pattern(
        &mut self,
        value: &Expr,
        leading: bool,
        trailing: bool,
        key: &NameT,
    ) -> String {
        let v = match value {
            Expr::Bind(b) => self.visit_bindparam(b, key),
            other => self.grouped(other, Against::Binary(Operator::Concat)),
        };
        let mut parts = Vec::new();
        if leading {
            parts.push(self.dialect.escape_percent("'%'").into_owned());
        }
        parts.push(v);
        if trailing {
            parts.push(self.dialect.escape_percent("'%'").into_owned());
        }
        if self.dialect.statement_compiler == StatementCompiler::MySQL {
            // `visit_concat_op_expression_clauselist`: one `concat(…)`.
            return format!("concat({})", parts.join(", "));
        }
        parts.join(" || ")
    }

    /// Renders a column expression with no grouping of its own.
    pub(super) fn process(&mut self, e: &Expr) -> String {
        if let Some(b) = bool_const(e) {
            return self.visit_bool(b);
        }
        if let Some(c) = as_boolean_false(e) {
            // `visit_is_false_unary_operator`.
            let col = self.visit_column(c);
            return if self.dialect.native_boolean {
                format!("NOT {col}")
            } else {
                format!("{col} = 0")
            };
        }
        match e {
            Expr::Column(c) => self.visit_column(c),
            Expr::Bind(v) => self.visit_bindparam(v, &NameT::lit("param")),
            Expr::BindParam { key, value, unique } => {
                self.visit_keyed_bindparam(value, key, *unique)
            }
            Expr::Null => "NULL".to_string(),
            Expr::True => self.visit_bool(true),
            Expr::False => self.visit_bool(false),
            Expr::Star => "*".to_string(),
            Expr::Binary { left, op, right } => self.visit_binary(left, *op, right),
            Expr::In {
                left,
                values,
                negated,
            } => self.visit_in(left, values, *negated),
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => self.visit_between(expr, low, high, *negated),
            Expr::BoolList { op, clauses } => self.visit_clauselist(*op, clauses),
            Expr::Not(x) => format!("NOT {}", self.grouped(x, Against::Inv)),
            Expr::Neg(x) => format!("-{}", self.grouped(x, Against::Neg)),
            Expr::Distinct(x) => format!("DISTINCT {}", self.grouped(x, Against::DistinctOp)),
            Expr::Asc(x) => format!("{} ASC", self.grouped(x, Against::OrderBy)),
            Expr::Desc(x) => format!("{} DESC", self.grouped(x, Against::OrderBy)),
            Expr::Function { name, args } => self.visit_function(name, args),
            // Outside a SELECT list a label renders only its expression.
            Expr::Label { expr, .. } => self.process(expr),
            Expr::ScalarSelect(s) => self.visit_scalar_select(s),
            Expr::Exists(s) => format!("EXISTS {}", self.visit_scalar_select(s)),
            Expr::Grouping(x) => format!("({})", self.process(x)),
            Expr::LikePattern {
                value,
                leading,
                trailing,
            } => self.visit_like_pattern(value, *leading, *trailing, &NameT::lit("param")),
            Expr::One => "1".to_string(),
            Expr::Escape { pattern, escape } => {
                if escape.contains('\\') {
                    self.not_modelled(|| "a backslash ESCAPE character".into());
                }
                let escape = string_literal(escape);
                let pattern = self.process(pattern);
                format!("{pattern} ESCAPE {}", self.dialect.escape_percent(&escape))
            }
            Expr::LabelRef(name) => self.quote(name),
            Expr::Case {
                value,
                whens,
                else_,
            } => self.visit_case(value.as_deref(), whens, else_.as_deref()),
            // A JSON value bound inside renders psycopg2's `::JSON` cast.
            Expr::TypeCoerce { expr, type_ } | Expr::Cast { expr, type_ }
                if *type_ == SqlType::Json && matches!(**expr, Expr::Bind(_)) =>
            {
                let inner =
                    self.with_bind_type(BindType::Typed(SqlType::Json), |c| c.process(expr));
                match e {
                    Expr::Cast { .. } => {
                        self.not_modelled(|| "cast()".into());
                        format!("CAST({inner} AS JSON)")
                    }
                    _ => inner,
                }
            }
            Expr::Cast { expr, type_ } => {
                // MySQL's and Oracle's type compilers name types otherwise
                // (`CAST(x AS CHAR)`, `VARCHAR2`).
                self.not_modelled(|| "cast()".into());
                format!("CAST({} AS {})", self.process(expr), type_.ddl())
            }
            Expr::LiteralColumn(text) => text.clone(),
            Expr::TypeCoerce { expr, .. } => self.process(expr),
            Expr::FunctionFilter { func, criterion } => {
                let func = self.process(func);
                let criteria = self.generate_delimited_and_list(criterion);
                format!("{func} FILTER (WHERE {criteria})")
            }
            Expr::Nulls { expr, first } => format!(
                "{} {}",
                self.grouped(expr, Against::OrderBy),
                if *first { "NULLS FIRST" } else { "NULLS LAST" }
            ),
            Expr::Over {
                func,
                partition_by,
                order_by,
            } => self.visit_over(func, partition_by, order_by),
            Expr::WithinGroup { func, order_by } => {
                let f = self.process(func);
                let cols: Vec<String> = order_by.iter().map(|e| self.process(e)).collect();
                format!("{f} WITHIN GROUP (ORDER BY {})", cols.join(", "))
            }
            Expr::JsonGetItem {
                expr,
                index,
                as_type,
            } => self.visit_json_getitem(expr, index, as_type.as_ref()),
            Expr::Extract { field, expr } => self.visit_extract(field, expr),
        }
    }

    /// `extract(field, expr)`: `EXTRACT(field FROM expr)`; SQLite's
    /// `CAST(STRFTIME('%Y', expr) AS INTEGER)` by its `extract_map`
    /// (another field: SQLAlchemy's `CompileError`, not modelled here).
    fn visit_extract(&mut self, field: &str, expr: &Expr) -> String {
        let e = self.process(expr);
        if self.dialect.statement_compiler != StatementCompiler::SQLite {
            if matches!(
                self.dialect.statement_compiler,
                StatementCompiler::MySQL | StatementCompiler::Oracle
            ) {
                self.not_modelled(|| "extract()".into());
            }
            return format!("EXTRACT({field} FROM {e})");
        }
        let code = match field {
            "month" => "%m",
            "day" => "%d",
            "year" => "%Y",
            "second" => "%S",
            "hour" => "%H",
            "doy" => "%j",
            "minute" => "%M",
            "epoch" => "%s",
            "dow" => "%w",
            "week" => "%W",
            _ => "%?",
        };
        format!("CAST(STRFTIME('{code}', {e}) AS INTEGER)")
    }

    /// `visit_json_getitem_op_binary`: `x[:p]` (string dialect), SQLite's
    /// `JSON_QUOTE(JSON_EXTRACT(x, ?))` with the index bound as a JSON path
    /// (`JSONIndexType`: `$."key"`, `$[0]`), PostgreSQL's `x -> %(p)s`
    /// (a JSON left operand in parentheses, `eager_grouping`); an `as_*()`
    /// extraction is `JSON_EXTRACT(x, ?)` / `CAST(x ->> %(p)s AS TYPE)`.
    fn visit_json_getitem(
        &mut self,
        expr: &Expr,
        index: &Expr,
        as_type: Option<&SqlType>,
    ) -> String {
        let key = bind_key(expr);
        let outer = self.in_operator_expression;
        self.in_operator_expression = true;
        let left = self.process(expr);
        let path = matches!(index, Expr::Bind(b) if matches!(b.value, SqlValue::Array(_)));
        let (arrow, arrows) = if path { ("#>", "#>>") } else { ("->", "->>") };
        let right = match index {
            Expr::Bind(b) => {
                let mut b = b.clone();
                if matches!(
                    self.dialect.statement_compiler,
                    StatementCompiler::SQLite | StatementCompiler::MySQL
                ) {
                    b.value = match &b.value {
                        SqlValue::Integer(i) => SqlValue::Text(format!("$[{i}]")),
                        SqlValue::Text(s) => SqlValue::Text(format!("$.\"{s}\"")),
                        // `JSONPathType`: `$."a"[1]`
                        SqlValue::Array(items) => {
                            let mut path = String::from("$");
                            for item in items {
                                match item {
                                    SqlValue::Integer(i) => path.push_str(&format!("[{i}]")),
                                    SqlValue::Text(s) => path.push_str(&format!(".\"{s}\"")),
                                    _ => {}
                                }
                            }
                            SqlValue::Text(path)
                        }
                        other => other.clone(),
                    };
                } else if self.dialect.statement_compiler == StatementCompiler::PostgreSQL
                    && let SqlValue::Array(items) = &b.value
                {
                    // `_PGJSONPathType`: `{a, 1}`
                    let parts: Vec<String> = items
                        .iter()
                        .map(|v| match v {
                            SqlValue::Integer(i) => i.to_string(),
                            SqlValue::Text(s) => s.clone(),
                            _ => String::new(),
                        })
                        .collect();
                    b.value = SqlValue::Text(format!("{{{}}}", parts.join(", ")));
                }
                self.with_bind_type(BindType::FromValue, |c| c.visit_bindparam(&b, &key))
            }
            other => self.process(other),
        };
        self.in_operator_expression = outer;
        // PostgreSQL's `eager_grouping`: parentheses inside an operator.
        let group = |text: String| if outer { format!("({text})") } else { text };
        match (self.dialect.statement_compiler, as_type) {
            (StatementCompiler::Str, _) => format!("{left}[{right}]"),
            (StatementCompiler::SQLite, None) => {
                format!("JSON_QUOTE(JSON_EXTRACT({left}, {right}))")
            }
            (StatementCompiler::SQLite, Some(_)) => format!("JSON_EXTRACT({left}, {right})"),
            (StatementCompiler::PostgreSQL, None) => group(format!("{left} {arrow} {right}")),
            // `MySQLCompiler.visit_json_getitem_op_binary` without a type.
            (StatementCompiler::MySQL, None) => format!("JSON_EXTRACT({left}, {right})"),
            (StatementCompiler::MySQL | StatementCompiler::Oracle, _) => {
                self.not_modelled(|| "a JSON index".into());
                format!("{left}[{right}]")
            }
            (StatementCompiler::PostgreSQL, Some(t)) => {
                format!(
                    "CAST({} AS {})",
                    group(format!("{left} {arrows} {right}")),
                    t.ddl()
                )
            }
        }
    }

    /// `visit_case`: `CASE [value ]WHEN … THEN … [ELSE …] END`; the result
    /// values are anonymous binds (`param_1`).
    fn visit_case(
        &mut self,
        value: Option<&Expr>,
        whens: &[(Expr, Expr)],
        else_: Option<&Expr>,
    ) -> String {
        let mut text = String::from("CASE ");
        if let Some(v) = value {
            text.push_str(&self.process(v));
            text.push(' ');
        }
        for (when, then) in whens {
            // A condition is `self_group()`-ed against nothing: comparisons
            // and boolean lists get parentheses.
            let grouped = value.is_none()
                && match when {
                    Expr::Binary { .. } | Expr::In { .. } | Expr::Between { .. } | Expr::Not(_) => {
                        true
                    }
                    Expr::BoolList { clauses, .. } => clauses.len() > 1,
                    _ => false,
                };
            let w = if grouped {
                format!("({})", self.process(when))
            } else {
                self.process(when)
            };
            let t = self.process(then);
            text.push_str(&format!("WHEN {w} THEN {t} "));
        }
        if let Some(e) = else_ {
            text.push_str(&format!("ELSE {} ", self.process(e)));
        }
        text.push_str("END");
        text
    }

    /// `visit_over`: `f(…) OVER (PARTITION BY a, b ORDER BY c DESC)`.
    fn visit_over(&mut self, func: &Expr, partition_by: &[Expr], order_by: &[Expr]) -> String {
        let f = self.process(func);
        let mut parts = Vec::new();
        if !partition_by.is_empty() {
            let cols: Vec<String> = partition_by.iter().map(|e| self.process(e)).collect();
            parts.push(format!("PARTITION BY {}", cols.join(", ")));
        }
        if !order_by.is_empty() {
            let cols: Vec<String> = order_by.iter().map(|e| self.process(e)).collect();
            parts.push(format!("ORDER BY {}", cols.join(", ")));
        }
        format!("{f} OVER ({})", parts.join(" "))
    }

    /// A scalar subquery, `(SELECT …)`: rendered with `LABEL_STYLE_NONE`
    /// whatever its label style, as `SelectBase.scalar_subquery()` sets it.
    pub(super) fn visit_scalar_select(&mut self, select: &Select) -> String {
        format!("({})", self.visit_select(select, false, Style::None))
    }

    /// `visit_true` / `visit_false`: `1` / `0` on SQLite (`true` / `false`
    /// with native boolean).
    pub(super) fn visit_bool(&self, b: bool) -> String {
        if self.dialect.statement_compiler == StatementCompiler::MySQL {
            // `MySQLCompiler.visit_true` / `visit_false`.
            return if b { "true" } else { "false" }.to_string();
        }
        match (self.dialect.native_boolean, b) {
            (true, true) => "true",
            (true, false) => "false",
            (false, true) => "1",
            (false, false) => "0",
        }
        .to_string()
    }

    /// `visit_column`: `users.id`, `messages_1.id`, `anon_1.users_id`.
    /// The column's name is numbered before its selectable's
    /// (`anon_2.anon_1` for an anonymous column of a subquery).
    pub(super) fn visit_column(&mut self, col: &ColumnRef) -> String {
        if let Selectable::Subquery(sq) = &col.from
            && sq
                .table_function
                .as_ref()
                .is_some_and(|tf| tf.column_valued)
        {
            // `visit_table_valued_column`: the alias's name alone
            // (`OracleCompiler`'s: `s.COLUMN_VALUE`).
            let from = self.resolve(&from_name(&col.from));
            if self.dialect.statement_compiler == StatementCompiler::Oracle {
                return format!("{}.COLUMN_VALUE", self.quote(&from));
            }
            return self.quote(&from);
        }
        let name = self.resolve(&column_name(col));
        if !self.include_table {
            return self.quote(&name);
        }
        let from = self.resolve(&from_name(&col.from));
        format!("{}.{}", self.quote(&from), self.quote(&name))
    }

    /// `visit_binary`: `left op right`, each side grouped against `op`;
    /// `ilike` is `lower(x) LIKE lower(y)` (`visit_ilike_op_binary`) unless
    /// the dialect has a native `ILIKE` (PostgreSQL), true
    /// division is `x / (y + 0.0)` (`SQLiteCompiler.visit_truediv_binary`;
    /// `x / CAST(y AS NUMERIC)` for `str()`).
    pub(super) fn visit_binary(&mut self, left: &Expr, op: Operator, right: &Expr) -> String {
        if let Expr::Escape { pattern, escape } = right {
            // The `escape` modifier follows the whole comparison.
            let text = self.visit_binary(left, op, pattern);
            if escape.contains('\\') {
                // MySQL doubles a backslash in a string literal.
                self.not_modelled(|| "a backslash ESCAPE character".into());
            }
            let escape = string_literal(escape);
            return format!("{text} ESCAPE {}", self.dialect.escape_percent(&escape));
        }
        if let (Operator::Collate, Expr::LiteralColumn(name)) = (op, right) {
            // `visit_collation`: the name quoted as an identifier
            let l = self.operand(left, Against::Binary(op), &bind_key(right));
            return format!("{l} COLLATE {}", self.quote(name));
        }
        let op = effective_operator(op, right);
        let against = Against::Binary(op);
        let outer = self.in_operator_expression;
        // LIKE and ILIKE have visitors of their own; the rest are generic.
        self.in_operator_expression = !matches!(
            op,
            Operator::Like | Operator::NotLike | Operator::ILike | Operator::NotILike
        ) || outer;
        let l = self.with_bind_type(operand_bind_type(right), |c| {
            c.operand(left, against, &bind_key(right))
        });
        let r = self.with_bind_type(operand_bind_type(left), |c| {
            c.operand(right, against, &bind_key(left))
        });
        self.in_operator_expression = outer;
        match op {
            Operator::ILike if self.dialect.supports_native_ilike => format!("{l} ILIKE {r}"),
            Operator::NotILike if self.dialect.supports_native_ilike => {
                format!("{l} NOT ILIKE {r}")
            }
            Operator::ILike => format!("lower({l}) LIKE lower({r})"),
            Operator::NotILike => format!("lower({l}) NOT LIKE lower({r})"),
            Operator::Div => match self.dialect.statement_compiler {
                StatementCompiler::SQLite => format!("{l} / ({r} + 0.0)"),
                // `div_is_floordiv = False`: plain `/`.
                StatementCompiler::MySQL | StatementCompiler::Oracle => format!("{l} / {r}"),
                StatementCompiler::Str | StatementCompiler::PostgreSQL => {
                    let numeric = match right {
                        Expr::Column(c) => match column_type(c) {
                            Some(SqlType::Float) => "FLOAT",
                            _ => "NUMERIC",
                        },
                        _ => "NUMERIC",
                    };
                    format!("{l} / CAST({r} AS {numeric})")
                }
            },
            // `OracleCompiler.visit_mod_binary`.
            Operator::Mod if self.dialect.statement_compiler == StatementCompiler::Oracle => {
                format!("mod({l}, {r})")
            }
            // `MySQLCompiler.visit_concat_op_binary`.
            Operator::Concat if self.dialect.statement_compiler == StatementCompiler::MySQL => {
                if matches!(
                    left,
                    Expr::Binary {
                        op: Operator::Concat,
                        ..
                    }
                ) || matches!(
                    right,
                    Expr::Binary {
                        op: Operator::Concat,
                        ..
                    }
                ) {
                    self.not_modelled(|| "a chain of string concatenations".into());
                }
                format!("concat({l}, {r})")
            }
            // `%` is `%%` for a pyformat driver
            _ => format!("{l}{}{r}", self.dialect.escape_percent(operator_sql(op))),
        }
    }

    /// `x IN (?, ?)`; `NOT IN` is parenthesized (`visit_not_in_op_binary`);
    /// an empty list is SQLite's empty set (`visit_empty_set_expr`). `str()`
    /// shows the unexpanded parameter, `IN (__[POSTCOMPILE_id_1])`.
    pub(super) fn visit_in(&mut self, left: &Expr, values: &[Expr], negated: bool) -> String {
        let l = self.grouped(left, if negated { Against::NotIn } else { Against::In });
        let key = bind_key(left);
        let list = match values {
            [] => {
                let key = self.resolve(&key);
                // Keyed by the one expanding parameter's identity (its
                // first value's here), so one `in_()` object twice is one.
                let id = match values.first() {
                    Some(Expr::Bind(b)) => AnonKey::Bind(b.id as usize),
                    _ => AnonKey::InList(left as *const Expr as usize),
                };
                let name = self.anon.resolve(id, &key);
                match self.dialect.statement_compiler {
                    StatementCompiler::SQLite => {
                        "(SELECT 1 FROM (SELECT 1) WHERE 1!=1)".to_string()
                    }
                    // `PGCompiler.visit_empty_set_op_expr`.
                    StatementCompiler::PostgreSQL if negated => "(NULL) OR (1 = 1)".to_string(),
                    StatementCompiler::PostgreSQL => "(NULL) AND (1 != 1)".to_string(),
                    StatementCompiler::Str => format!("(__[POSTCOMPILE_{name}])"),
                    StatementCompiler::MySQL | StatementCompiler::Oracle => {
                        if self.dialect.literal_binds {
                            self.not_modelled(|| "an empty in_() under literal_binds".into());
                        }
                        format!("(__[POSTCOMPILE_{name}])")
                    }
                }
            }
            [Expr::ScalarSelect(s)] => self.visit_scalar_select(s),
            [
                Expr::BindParam {
                    key, unique: false, ..
                },
                ..,
            ] if values.iter().all(
                |v| matches!(v, Expr::BindParam { key: k, unique: false, .. } if k == key),
            ) =>
            {
                // `in_(bindparam("primary_keys", expanding=True))`:
                // `primary_keys_1`, `primary_keys_2`, ….
                let mut marks = Vec::with_capacity(values.len());
                self.expanding = true;
                self.with_bind_type(operand_bind_type(left), |c| {
                    for (i, v) in values.iter().enumerate() {
                        if let Expr::BindParam { value, .. } = v {
                            marks.push(c.bind_marker(value, &format!("{key}_{}", i + 1)));
                        }
                    }
                });
                self.expanding = false;
                match self.dialect.statement_compiler {
                    StatementCompiler::Str
                    | StatementCompiler::MySQL
                    | StatementCompiler::Oracle
                        if !self.dialect.literal_binds =>
                    {
                        format!("(__[POSTCOMPILE_{key}])")
                    }
                    _ => format!("({})", marks.join(", ")),
                }
            }
            _ if values.iter().all(|v| matches!(v, Expr::Bind(_))) => {
                // One expanding parameter, `IN (__[POSTCOMPILE_id_1])`.
                let key = self.resolve(&key);
                // Keyed by the one expanding parameter's identity (its
                // first value's here), so one `in_()` object twice is one.
                let id = match values.first() {
                    Some(Expr::Bind(b)) => AnonKey::Bind(b.id as usize),
                    _ => AnonKey::InList(left as *const Expr as usize),
                };
                let name = self.anon.resolve(id, &key);
                // Expanded at execution as `id_1_1`, `id_1_2`, ….
                let mut marks = Vec::with_capacity(values.len());
                self.expanding = true;
                self.with_bind_type(operand_bind_type(left), |c| {
                    for (i, v) in values.iter().enumerate() {
                        if let Expr::Bind(value) = v {
                            marks.push(c.bind_marker(value, &format!("{name}_{}", i + 1)));
                        }
                    }
                });
                self.expanding = false;
                match self.dialect.statement_compiler {
                    StatementCompiler::Str
                    | StatementCompiler::MySQL
                    | StatementCompiler::Oracle
                        if !self.dialect.literal_binds =>
                    {
                        format!("(__[POSTCOMPILE_{name}])")
                    }
                    // `literal_execute` (SQLite's ON CONFLICT `index_where=`):
                    // one marker, its values written in when it runs.
                    _ if self.literal_execute && !self.dialect.literal_binds => {
                        format!("(__[POSTCOMPILE_{name}])")
                    }
                    _ => format!("({})", marks.join(", ")),
                }
            }
            _ => {
                let mut parts = Vec::with_capacity(values.len());
                for v in values {
                    parts.push(self.operand(v, Against::Comma, &key));
                }
                format!("({})", parts.join(", "))
            }
        };
        if negated {
            format!("({l} NOT IN {list})")
        } else {
            format!("{l} IN {list}")
        }
    }

    /// `x BETWEEN a AND b` / `x NOT BETWEEN a AND b`.
    pub(super) fn visit_between(
        &mut self,
        expr: &Expr,
        low: &Expr,
        high: &Expr,
        negated: bool,
    ) -> String {
        let against = if negated {
            Against::NotBetween
        } else {
            Against::Between
        };
        let e = self.grouped(expr, against);
        let key = bind_key(expr);
        let (lo, hi) = self.with_bind_type(operand_bind_type(expr), |c| {
            (
                c.operand(low, Against::And, &key),
                c.operand(high, Against::And, &key),
            )
        });
        let word = if negated { "NOT BETWEEN" } else { "BETWEEN" };
        format!("{e} {word} {lo} AND {hi}")
    }

    /// `visit_clauselist` for `and_()` / `or_()`: each clause grouped against
    /// the list's operator; `true()`/`false()` short-circuit as in
    /// `BooleanClauseList._construct`.
    pub(super) fn visit_clauselist(&mut self, op: BoolOp, clauses: &[Expr]) -> String {
        let reduced = process_clauses_for_boolean(op, clauses);
        if let [single] = reduced.as_slice() {
            return self.grouped(single, Against::AsBool);
        }
        let (against, sep) = match op {
            BoolOp::And => (Against::And, " AND "),
            BoolOp::Or => (Against::Or, " OR "),
        };
        let mut parts = Vec::with_capacity(reduced.len());
        for c in reduced {
            let s = self.grouped(c, against);
            if !s.is_empty() {
                parts.push(s);
            }
        }
        parts.join(sep)
    }

    /// `visit_function`: `count(users.id)`, `count(*)` for `func.count()`,
    /// `CURRENT_TIMESTAMP` for `now()` on SQLite, `length(x)` for
    /// `char_length(x)`, ANSI functions upper case without parentheses.
    pub(super) fn visit_function(&mut self, name: &str, args: &[Expr]) -> String {
        let canonical = function_name(name);
        if name == super::dml::NEXT_VALUE {
            return self.visit_next_value_func(args);
        }
        if self.dialect.statement_compiler == StatementCompiler::SQLite {
            // `SQLiteCompiler.visit_now_func` / `visit_localtimestamp_func`.
            match canonical.as_str() {
                "now" => return "CURRENT_TIMESTAMP".to_string(),
                "localtimestamp" => return "DATETIME(CURRENT_TIMESTAMP, 'localtime')".to_string(),
                _ => {}
            }
        }
        match (self.dialect.statement_compiler, canonical.as_str()) {
            // `OracleCompiler.visit_now_func` / `visit_char_length_func`.
            (StatementCompiler::Oracle, "now") => return "CURRENT_TIMESTAMP".to_string(),
            (StatementCompiler::Oracle, "char_length") => {
                return format!("LENGTH{}", self.function_args(&canonical, args));
            }
            // `OracleCompiler.function_argspec`: no parentheses for these.
            (StatementCompiler::Oracle, "sysdate" | "uid") if args.is_empty() => {
                return canonical.clone();
            }
            // `MySQLCompiler.visit_random_func` / `visit_sysdate_func`.
            (StatementCompiler::MySQL, "random") => {
                return format!("rand{}", self.function_args(&canonical, args));
            }
            (StatementCompiler::MySQL, "sysdate") => return "SYSDATE()".to_string(),
            (
                StatementCompiler::MySQL | StatementCompiler::Oracle,
                "aggregate_strings" | "rollup",
            ) => {
                self.not_modelled(|| format!("func.{canonical}()"));
            }
            _ => {}
        }
        let is_ansi = ANSI_FUNCTIONS.contains(&canonical.as_str())
            || (self.dialect.statement_compiler != StatementCompiler::SQLite
                && canonical == "localtimestamp");
        let rendered_name = if canonical == "char_length"
            && self.dialect.statement_compiler == StatementCompiler::SQLite
        {
            "length".to_string()
        } else if is_ansi {
            canonical.to_uppercase()
        } else if has_illegal_chars(&canonical) {
            self.quote(&canonical)
        } else {
            canonical.clone()
        };
        if is_ansi && args.is_empty() {
            return rendered_name;
        }
        if canonical == "count" && args.is_empty() {
            return "count(*)".to_string();
        }
        format!("{rendered_name}{}", self.function_args(&canonical, args))
    }

    /// `function_argspec`: `(a, b)`, each bound argument named after the
    /// function (`lower_1`).
    fn function_args(&mut self, canonical: &str, args: &[Expr]) -> String {
        let mut parts = Vec::with_capacity(args.len());
        for a in args {
            parts.push(self.operand(a, Against::Comma, &NameT::lit(canonical.to_string())));
        }
        format!("({})", parts.join(", "))
    }
}

/// A string as `render_literal_value` writes it for `String`: quoted, with
/// quotes doubled (`'!'`, `'it''s'`).
/// The type a bind compared with `other` takes (`BindParameter.type` from
/// the other side of a `BinaryExpression`): a column's own, a label's
/// expression's; else its value's.
pub(super) fn operand_bind_type(other: &Expr) -> BindType {
    match other {
        Expr::Column(c) => column_type(c).map_or(BindType::FromValue, BindType::Typed),
        Expr::Label { expr, .. } | Expr::Grouping(expr) | Expr::Neg(expr) => {
            operand_bind_type(expr)
        }
        // `users.id + 1 == ?`: arithmetic keeps its left operand's type
        Expr::Binary {
            left,
            op: Operator::Add | Operator::Sub | Operator::Mul | Operator::Mod,
            ..
        } => operand_bind_type(left),
        Expr::Cast { type_, .. } | Expr::TypeCoerce { type_, .. } => BindType::Typed(type_.clone()),
        _ => BindType::FromValue,
    }
}

pub(super) fn string_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
