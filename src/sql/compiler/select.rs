//! `visit_select` and the FROM-list visitors (`visit_join`, `visit_alias`,
//! `visit_subquery`), `limit_clause`.

use super::*;

impl SqlCompiler<'_> {
    // -- SELECT -------------------------------------------------------------

    /// `visit_select`. `asfrom` is true for a subquery in a FROM list (its
    /// columns are all labelled and it does not correlate).
    pub(super) fn visit_select(&mut self, select: &Select, asfrom: bool, style: Style) -> String {
        if let Some(text) = &select.textual {
            // a `TextualSelect`'s subquery: its text as written, its
            // `:name` parameters bound from `bindparams()`
            let mut missing = None;
            return self.render_text(text, &select.textual_binds, &mut missing);
        }
        if let Some(compound) = &select.compound {
            return self.visit_compound_select(select, compound, asfrom);
        }
        let lateral = std::mem::take(&mut self.lateral);
        let implicit = if asfrom && !lateral {
            Vec::new()
        } else {
            self.stack.last().cloned().unwrap_or_default()
        };
        if self.correlation_error.is_none() && correlates_every_from(select, &implicit) {
            self.correlation_error = Some(format!(
                "Select statement '<sqlalchemy.sql.selectable.Select object at {}>' returned no FROM clauses due to auto-correlation; specify correlate(<tables>) to control correlation manually.",
                crate::python::format::address_of(select as *const Select)
            ));
        }
        let froms = display_froms(select, &implicit);
        self.stack.push(expand_from_objects(&froms));

        let plans = columns_plus_names(select, style, true);
        let mut text = String::from("SELECT ");
        if select.distinct {
            text.push_str("DISTINCT ");
        }
        let mut columns = Vec::with_capacity(select.columns.len());
        for (idx, (column, plan)) in select.columns.iter().zip(plans.iter()).enumerate() {
            columns.push(self.label_select_column(select, idx, column, plan, asfrom));
        }
        text.push_str(&columns.join(", "));
        if columns.is_empty() {
            // `_compose_select_body`: "SELECT FROM …" without the extra space.
            text.truncate(text.trim_end().len());
        }

        if !froms.is_empty() {
            text.push_str(" \nFROM ");
            let mut rendered = Vec::with_capacity(froms.len());
            for f in &froms {
                rendered.push(self.visit_from_obj(f));
            }
            text.push_str(&rendered.join(", "));
        } else {
            text.push_str(self.default_from(select));
        }

        if !select.where_.is_empty() {
            let t = self.generate_delimited_and_list(&select.where_);
            if !t.is_empty() {
                text.push_str(" \nWHERE ");
                text.push_str(&t);
            }
        }
        self.lint_select(select, &froms);

        if !select.group_by.is_empty() {
            text.push_str(&self.group_by_clause(select));
        }

        if !select.having.is_empty() {
            let t = self.generate_delimited_and_list(&select.having);
            if !t.is_empty() {
                text.push_str(" \nHAVING ");
                text.push_str(&t);
            }
        }

        if !select.order_by.is_empty() {
            text.push_str(&self.order_by_clause(select));
        }

        if select.limit.is_some() || select.offset.is_some() {
            text.push_str(&self.limit_clause(select));
        }

        if let Some(for_update) = &select.for_update {
            text.push_str(&self.for_update_clause(for_update));
        }

        self.stack.pop();
        text
    }

    /// `default_from`: what a SELECT without FROM gets: ` FROM DUAL` on
    /// Oracle, and on MySQL when it has a WHERE clause; nothing elsewhere.
    fn default_from(&self, select: &Select) -> &'static str {
        match self.dialect.statement_compiler {
            StatementCompiler::Oracle => " FROM DUAL",
            StatementCompiler::MySQL if !select.where_.is_empty() => " FROM DUAL",
            _ => "",
        }
    }

    /// `visit_compound_select`: the selects joined by ` UNION ` (each
    /// labelled as a subquery's when `asfrom`), then ORDER BY with bare
    /// column names (`include_table=False`) and LIMIT / OFFSET.
    fn visit_compound_select(
        &mut self,
        select: &Select,
        compound: &Compound,
        asfrom: bool,
    ) -> String {
        // `OracleCompiler.compound_keywords`: `EXCEPT` is `MINUS`.
        let keyword = match compound.keyword {
            crate::sql::elements::CompoundKeyword::Except
                if self.dialect.statement_compiler == StatementCompiler::Oracle =>
            {
                " MINUS ".to_string()
            }
            k => format!(" {} ", k.sql()),
        };
        let mut parts = Vec::with_capacity(compound.selects.len());
        for s in &compound.selects {
            parts.push(self.visit_select(s, asfrom, Style::of(s)));
        }
        let mut text = parts.join(&keyword);
        if !select.order_by.is_empty() {
            let saved = std::mem::replace(&mut self.include_table, false);
            text.push_str(&self.order_by_clause(select));
            self.include_table = saved;
        }
        if select.limit.is_some() || select.offset.is_some() {
            text.push_str(&self.limit_clause(select));
        }
        text
    }

    /// `_label_select_column`: one SELECT-list entry with its `AS label`
    /// when SQLAlchemy gives it one. The label's name is resolved before the
    /// expression is rendered.
    pub(super) fn label_select_column(
        &mut self,
        select: &Select,
        idx: usize,
        column: &Expr,
        plan: &ColPlan,
        asfrom: bool,
    ) -> String {
        if let Expr::Label { name, expr } = column {
            let (sel, key) = entry_key(select, idx);
            let label = label_template(name, sel, key);
            return self.visit_label(&label, expr);
        }
        if let Some(required) = &plan.required {
            return self.visit_label(required, column);
        }
        let render_with_label = match column {
            Expr::Column(_) => asfrom,
            Expr::Star | Expr::One | Expr::LiteralColumn(_) => false,
            // `is_true` / `is_false` without native boolean; with it, an
            // `AsBoolean` of a named column is like `NOT x`.
            e if as_boolean_column(e).is_some() => !self.dialect.native_boolean || asfrom,
            Expr::Not(x) | Expr::Neg(x) | Expr::Distinct(x) | Expr::Asc(x) | Expr::Desc(x) => {
                wraps_unnamed_column(x) || asfrom
            }
            _ => true,
        };
        match (&plan.fallback, render_with_label) {
            (Some(fallback), true) => self.visit_label(fallback, column),
            _ => self.process(column),
        }
    }

    /// `visit_label` in a SELECT list: `expr AS name`, name first.
    pub(super) fn visit_label(&mut self, name: &NameT, expr: &Expr) -> String {
        let name = self.resolve(name);
        let inner = self.process(expr);
        format!("{inner} AS {}", self.quote(&name))
    }

    /// `_generate_delimited_and_list`: WHERE / HAVING criteria joined with
    /// `AND`; a lone criterion is grouped against `_asbool`, several against
    /// `and_`.
    pub(super) fn generate_delimited_and_list(&mut self, clauses: &[Expr]) -> String {
        let clauses = process_clauses_for_boolean(BoolOp::And, clauses);
        let against = if clauses.len() == 1 {
            Against::AsBool
        } else {
            Against::And
        };
        let mut parts = Vec::with_capacity(clauses.len());
        for c in clauses {
            let s = self.grouped(c, against);
            if !s.is_empty() {
                parts.push(s);
            }
        }
        parts.join(" AND ")
    }

    /// `group_by_clause`: ` GROUP BY a, b` (stays on the line). A label
    /// renders its inner expression.
    pub(super) fn group_by_clause(&mut self, select: &Select) -> String {
        let mut parts = Vec::with_capacity(select.group_by.len());
        for e in &select.group_by {
            let e = resolve_label_references(select, e);
            parts.push(self.process(&e));
        }
        format!(" GROUP BY {}", parts.join(", "))
    }

    /// `order_by_clause`: ` ORDER BY a, b DESC` (stays on the line). A label
    /// that is in the SELECT list renders as its name (`ORDER BY n DESC`,
    /// SQLAlchemy's `visit_label_reference`); any other label renders its
    /// inner expression.
    pub(super) fn order_by_clause(&mut self, select: &Select) -> String {
        let mut parts = Vec::with_capacity(select.order_by.len());
        for e in &select.order_by {
            let e = resolve_label_references(select, e);
            parts.push(self.visit_order_by_item(select, &e));
        }
        format!(" ORDER BY {}", parts.join(", "))
    }

    pub(super) fn visit_order_by_item(&mut self, select: &Select, e: &Expr) -> String {
        match e {
            Expr::Asc(inner) | Expr::Desc(inner) => {
                let suffix = if matches!(e, Expr::Asc(_)) {
                    " ASC"
                } else {
                    " DESC"
                };
                match self.select_list_label(select, inner) {
                    Some(name) => format!("{}{suffix}", self.quote(&name)),
                    None => format!("{}{suffix}", self.grouped(inner, Against::OrderBy)),
                }
            }
            _ => match self.select_list_label(select, e) {
                Some(name) => self.quote(&name),
                None => self.process(e),
            },
        }
    }

    /// The resolved name of `e` when it is a label that also appears in the
    /// SELECT list of `select`.
    pub(super) fn select_list_label(&mut self, select: &Select, e: &Expr) -> Option<String> {
        let Expr::Label { name, .. } = e else {
            return None;
        };
        let idx = select.columns.iter().position(|c| c == e)?;
        let (sel, key) = entry_key(select, idx);
        let template = label_template(name, sel, key);
        Some(self.resolve(&template))
    }

    /// `for_update_clause`: nothing on SQLite (`SQLiteCompiler`), ` FOR
    /// UPDATE` in the `str()` form (`SQLCompiler`, whatever the options),
    /// and PostgreSQL's lock strength, ` OF` its tables (an alias by its
    /// name), ` NOWAIT`, ` SKIP LOCKED` (`PGCompiler.for_update_clause`).
    pub(super) fn for_update_clause(&mut self, for_update: &ForUpdate) -> String {
        match self.dialect.statement_compiler {
            StatementCompiler::SQLite => return String::new(),
            StatementCompiler::Str => return " FOR UPDATE".into(),
            StatementCompiler::MySQL | StatementCompiler::Oracle => {
                if for_update.read
                    || for_update.key_share
                    || for_update.nowait
                    || for_update.skip_locked
                    || !for_update.of.is_empty()
                {
                    self.not_modelled(|| "with_for_update() options".into());
                }
                return " FOR UPDATE".into();
            }
            StatementCompiler::PostgreSQL => {}
        }
        let mut text = String::from(match (for_update.read, for_update.key_share) {
            (true, true) => " FOR KEY SHARE",
            (true, false) => " FOR SHARE",
            (false, true) => " FOR NO KEY UPDATE",
            (false, false) => " FOR UPDATE",
        });
        if !for_update.of.is_empty() {
            let mut names = Vec::with_capacity(for_update.of.len());
            for sel in &for_update.of {
                names.push(match sel {
                    Selectable::Table(t) => self.visit_table(t),
                    other => {
                        let name = self.resolve(&from_name(other));
                        self.quote(&name)
                    }
                });
            }
            text.push_str(" OF ");
            text.push_str(&names.join(", "));
        }
        if for_update.nowait {
            text.push_str(" NOWAIT");
        }
        if for_update.skip_locked {
            text.push_str(" SKIP LOCKED");
        }
        text
    }

    /// `SQLiteCompiler.limit_clause`: `\n LIMIT ? OFFSET ?`; with no offset
    /// a bound `0` is added, with no limit a bound `-1`.
    pub(super) fn limit_clause(&mut self, select: &Select) -> String {
        match self.dialect.statement_compiler {
            StatementCompiler::Str => return self.default_limit_clause(select),
            StatementCompiler::PostgreSQL => return self.postgresql_limit_clause(select),
            StatementCompiler::MySQL => return self.mysql_limit_clause(select),
            StatementCompiler::Oracle => return self.fetch_clause(select),
            StatementCompiler::SQLite => {}
        }
        let mut text = String::new();
        if let Some(limit) = &select.limit {
            text.push_str("\n LIMIT ");
            text.push_str(&self.process(limit));
        }
        match &select.offset {
            Some(offset) => {
                if select.limit.is_none() {
                    text.push_str("\n LIMIT ");
                    text.push_str(&self.visit_literal_bindparam(SqlValue::Integer(-1)));
                }
                text.push_str(" OFFSET ");
                text.push_str(&self.process(offset));
            }
            None => {
                text.push_str(" OFFSET ");
                text.push_str(&self.visit_literal_bindparam(SqlValue::Integer(0)));
            }
        }
        text
    }

    /// `SQLCompiler.limit_clause` (the `str()` form): `\n LIMIT :param_1`,
    /// ` OFFSET :param_2` only when there is one, `LIMIT -1` as a literal.
    pub(super) fn default_limit_clause(&mut self, select: &Select) -> String {
        let mut text = String::new();
        if let Some(limit) = &select.limit {
            text.push_str("\n LIMIT ");
            text.push_str(&self.process(limit));
        }
        if let Some(offset) = &select.offset {
            if select.limit.is_none() {
                text.push_str("\n LIMIT -1");
            }
            text.push_str(" OFFSET ");
            text.push_str(&self.process(offset));
        }
        text
    }

    /// `PGCompiler.limit_clause`: ` \n LIMIT %(param_1)s`, ` OFFSET
    /// %(param_2)s` only when there is one, `LIMIT ALL` when there is no
    /// limit.
    pub(super) fn postgresql_limit_clause(&mut self, select: &Select) -> String {
        let mut text = String::new();
        if let Some(limit) = &select.limit {
            text.push_str(" \n LIMIT ");
            text.push_str(&self.process(limit));
        }
        if let Some(offset) = &select.offset {
            if select.limit.is_none() {
                text.push_str("\n LIMIT ALL");
            }
            text.push_str(" OFFSET ");
            text.push_str(&self.process(offset));
        }
        text
    }

    /// `MySQLCompiler.limit_clause`: ` \n LIMIT %s`, with an offset
    /// ` \n LIMIT %s, %s` (offset first), and with no limit MySQL's largest
    /// row count, `18446744073709551615`.
    fn mysql_limit_clause(&mut self, select: &Select) -> String {
        match (&select.limit, &select.offset) {
            (Some(limit), None) => format!(" \n LIMIT {}", self.process(limit)),
            (limit, Some(offset)) => {
                let offset = self.process(offset);
                let limit = match limit {
                    Some(l) => self.process(l),
                    None => "18446744073709551615".to_string(),
                };
                format!(" \n LIMIT {offset}, {limit}")
            }
            (None, None) => String::new(),
        }
    }

    /// `SQLCompiler.fetch_clause` as `OracleCompiler` uses it for a limit:
    /// `\n OFFSET n ROWS`, then `\n FETCH FIRST n ROWS ONLY`, a plain
    /// integer count as a `literal_execute` parameter
    /// (`__[POSTCOMPILE_param_1]`).
    fn fetch_clause(&mut self, select: &Select) -> String {
        let mut text = String::new();
        if let Some(offset) = &select.offset {
            text.push_str("\n OFFSET ");
            text.push_str(&self.literal_execute_count(offset));
            text.push_str(" ROWS");
        }
        if let Some(limit) = &select.limit {
            text.push_str("\n FETCH FIRST ");
            text.push_str(&self.literal_execute_count(limit));
            text.push_str(" ROWS ONLY");
        }
        text
    }

    /// A LIMIT/OFFSET count rendered `literal_execute` when it is a plain
    /// integer (`_simple_int_clause`), else as itself.
    fn literal_execute_count(&mut self, count: &Expr) -> String {
        let simple = matches!(count, Expr::Bind(b) if matches!(b.value, SqlValue::Integer(_)));
        if !simple {
            self.not_modelled(|| "a LIMIT/OFFSET that is not an integer".into());
            return self.process(count);
        }
        let saved = std::mem::replace(&mut self.literal_execute, true);
        let text = self.process(count);
        self.literal_execute = saved;
        text
    }

    // -- FROM ---------------------------------------------------------------

    pub(super) fn visit_from_obj(&mut self, f: &FromObj) -> String {
        match f {
            FromObj::Sel(s) => self.visit_selectable(s),
            FromObj::Join(j) => self.visit_join(j),
        }
    }

    pub(super) fn visit_from_clause(&mut self, f: &FromClause) -> String {
        match f {
            FromClause::Selectable(s) => self.visit_selectable(s),
            FromClause::Join(j) => self.visit_join(j),
        }
    }

    pub(super) fn visit_selectable(&mut self, s: &Selectable) -> String {
        match s {
            Selectable::Table(t) => self.visit_table(t),
            Selectable::Alias(a) => self.visit_alias(a),
            Selectable::Subquery(sq) => match &sq.adapts {
                Some((base, _)) => self.visit_subquery(base),
                None => self.visit_subquery(sq),
            },
        }
    }

    /// `visit_alias` for a table alias: `messages AS messages_1`.
    pub(super) fn visit_alias(&mut self, alias: &Rc<Alias>) -> String {
        let name = self.resolve(&from_name(&Selectable::Alias(alias.clone())));
        format!(
            "{}{}{}",
            self.visit_table(&alias.table),
            self.dialect.alias_as(),
            self.quote(&name)
        )
    }

    /// `visit_subquery`: `(SELECT …) AS anon_1`, the name taken first.
    pub(super) fn visit_subquery(&mut self, sq: &Rc<Subquery>) -> String {
        let name = self.resolve(&from_name(&Selectable::Subquery(sq.clone())));
        if sq.cte {
            return self.visit_cte(sq, &name);
        }
        if let Some(tf) = &sq.table_function
            && let Some(v) = &tf.values
        {
            // `visit_values`: the rows, then the alias and its column names.
            let rows: Vec<String> = v
                .rows
                .iter()
                .map(|row| {
                    let items: Vec<String> = row.iter().map(|e| self.process(e)).collect();
                    format!("({})", items.join(", "))
                })
                .collect();
            let columns: Vec<String> = (0..sq.select.columns.len())
                .map(|i| {
                    let n = self.resolve(&subquery_column_name(sq, i));
                    self.quote(&n)
                })
                .collect();
            let alias = v.alias.clone().unwrap_or(name);
            return format!(
                "(VALUES {}) AS {} ({})",
                rows.join(", "),
                self.quote(&alias),
                columns.join(", ")
            );
        }
        if let Some(tf) = &sq.table_function {
            // `visit_table_valued_alias`: the function, then its alias
            // (with its column names under `render_derived()`).
            let f = self.process(&tf.func);
            if self.dialect.statement_compiler == StatementCompiler::Oracle {
                // `OracleCompiler.visit_function` as a FROM: `TABLE (f(…))`.
                if tf.derived {
                    self.not_modelled(|| "render_derived()".into());
                }
                return format!("TABLE ({f}) {}", self.quote(&name));
            }
            let mut text = format!("{f} AS {}", self.quote(&name));
            if tf.derived {
                let columns: Vec<String> = (0..sq.select.columns.len())
                    .map(|i| {
                        let n = self.resolve(&subquery_column_name(sq, i));
                        self.quote(&n)
                    })
                    .collect();
                text.push_str(&format!("({})", columns.join(", ")));
            }
            return text;
        }
        self.lateral = sq.lateral;
        let inner = self.visit_select(&sq.select, true, Style::of(&sq.select));
        let lateral = if sq.lateral { "LATERAL " } else { "" };
        if sq.lateral {
            self.not_modelled(|| "lateral()".into());
        }
        format!(
            "{lateral}({inner}){}{}",
            self.dialect.alias_as(),
            self.quote(&name)
        )
    }

    /// `visit_cte`: the CTE's name in the FROM list; its `name AS \n(SELECT
    /// …)` goes to the statement's WITH prefix the first time it is met,
    /// its parameters kept apart to come first. A recursive CTE's entry
    /// lists its column names (`nums(n) AS …`); a CTE restating another
    /// (`cte.union_all(…)`) is one entry with it, and inside its own body
    /// either renders as the name only. An alias of a CTE renders
    /// `cte_name AS alias_name`.
    fn visit_cte(&mut self, sq: &Rc<Subquery>, name: &str) -> String {
        let quoted = self.quote(name);
        if let Some(aliased) = &sq.alias_of {
            let target = self.resolve(&from_name(&Selectable::Subquery(aliased.clone())));
            let target = self.visit_cte(aliased, &target);
            return format!("{target}{}{quoted}", self.dialect.alias_as());
        }
        let id = Rc::as_ptr(&Subquery::cte_root(sq)) as usize;
        if !self.ctes.iter().any(|(i, _, _)| *i == id) && !self.ctes_in_progress.contains(&id) {
            self.ctes_in_progress.push(id);
            let outer_params = std::mem::take(&mut self.params);
            let stack = std::mem::take(&mut self.stack);
            let mut head = quoted.clone();
            if sq.recursive {
                self.ctes_recursive = true;
                let columns: Vec<String> = (0..sq.select.columns.len())
                    .map(|i| {
                        let n = self.resolve(&subquery_column_name(sq, i));
                        self.quote(&n)
                    })
                    .collect();
                head.push_str(&format!("({})", columns.join(", ")));
            }
            let inner = self.visit_select(&sq.select, true, Style::of(&sq.select));
            self.stack = stack;
            let params = std::mem::replace(&mut self.params, outer_params);
            self.ctes_in_progress.retain(|i| *i != id);
            self.ctes
                .push((id, format!("{head} AS \n({inner})"), params));
        }
        quoted
    }

    /// `visit_join`: `a JOIN b ON …`, `a LEFT OUTER JOIN b ON …`; a join on
    /// the right is parenthesized (`FromGrouping`), one on the left is not.
    pub(super) fn visit_join(&mut self, join: &Join) -> String {
        let left = self.visit_from_clause(&join.left);
        let right = match &join.right {
            FromClause::Join(j) => format!("({})", self.visit_join(j)),
            other => self.visit_from_clause(other),
        };
        let on = self.grouped(&join.on, Against::AsBool);
        let kind = if join.full {
            " FULL OUTER JOIN "
        } else if join.outer {
            " LEFT OUTER JOIN "
        } else if self.dialect.statement_compiler == StatementCompiler::MySQL {
            // `MySQLCompiler.visit_join`.
            " INNER JOIN "
        } else {
            " JOIN "
        };
        format!("{left}{kind}{right} ON {on}")
    }
}
