//! Tests of the parser: trees of every construct (spans are left out of
//! equality), spans, errors with their spans, `is_incomplete`, limits, and
//! real scripts.

use super::*;
use crate::language::ast::*;

// ----- tree builders -----

fn e(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

fn name(n: &str) -> Expr {
    e(ExprKind::Name(n.to_string()))
}

fn int(n: i64) -> Expr {
    e(ExprKind::Int(n))
}

fn float(x: f64) -> Expr {
    e(ExprKind::Float(x))
}

fn s(text: &str) -> Expr {
    e(ExprKind::Str(text.to_string()))
}

fn attr(value: Expr, a: &str) -> Expr {
    e(ExprKind::Attribute {
        value: Box::new(value),
        attr: a.to_string(),
        attr_span: Span::default(),
    })
}

fn call(func: Expr, args: Vec<Expr>, kwargs: Vec<(&str, Expr)>) -> Expr {
    e(ExprKind::Call {
        func: Box::new(func),
        args,
        kwargs: kwargs
            .into_iter()
            .map(|(n, value)| Keyword {
                name: Some(n.to_string()),
                value,
                span: Span::default(),
            })
            .collect(),
    })
}

fn bin(left: Expr, op: BinOp, right: Expr) -> Expr {
    e(ExprKind::BinOp {
        left: Box::new(left),
        op,
        right: Box::new(right),
    })
}

fn unary(op: UnaryOp, operand: Expr) -> Expr {
    e(ExprKind::UnaryOp {
        op,
        operand: Box::new(operand),
    })
}

fn boolop(op: BoolOp, values: Vec<Expr>) -> Expr {
    e(ExprKind::BoolOp { op, values })
}

fn cmp(left: Expr, ops: Vec<(CmpOp, Expr)>) -> Expr {
    e(ExprKind::Compare {
        left: Box::new(left),
        ops,
    })
}

fn sub(value: Expr, index: Expr) -> Expr {
    e(ExprKind::Subscript {
        value: Box::new(value),
        index: Box::new(index),
    })
}

fn slice(lower: Option<Expr>, upper: Option<Expr>, step: Option<Expr>) -> Expr {
    e(ExprKind::Slice {
        lower: lower.map(Box::new),
        upper: upper.map(Box::new),
        step: step.map(Box::new),
    })
}

fn tuple(items: Vec<Expr>) -> Expr {
    e(ExprKind::Tuple(items))
}

fn list(items: Vec<Expr>) -> Expr {
    e(ExprKind::List(items))
}

fn listcomp(elt: Expr, target: Expr, iter: Expr, conds: Vec<Expr>) -> Expr {
    e(ExprKind::ListComp {
        elt: Box::new(elt),
        generators: vec![Comprehension {
            target,
            iter,
            conds,
            is_async: false,
        }],
        generator: false,
    })
}

/// Plain positional parameters with defaults for the last ones.
fn params(args: &[&str], defaults: Vec<Expr>) -> Box<Parameters> {
    Box::new(Parameters {
        args: args.iter().map(|a| a.to_string()).collect(),
        defaults,
        ..Parameters::default()
    })
}

/// The generator expression of the comprehension `e`.
fn genexp(mut e: Expr) -> Expr {
    if let ExprKind::ListComp { generator, .. } = &mut e.kind {
        *generator = true;
    }
    e
}

fn field(expr: Expr, conversion: Option<char>, spec: Option<&str>) -> FStringPart {
    FStringPart::Field {
        expr,
        conversion,
        format_spec: spec.map(str::to_string),
        nested_spec: Vec::new(),
    }
}

fn lit(text: &str) -> FStringPart {
    FStringPart::Literal(text.to_string())
}

fn st(kind: StmtKind) -> Stmt {
    Stmt {
        kind,
        span: Span::default(),
    }
}

fn expr_stmt(x: Expr) -> Stmt {
    st(StmtKind::Expr(x))
}

fn assign(targets: Vec<Expr>, value: Expr) -> Stmt {
    st(StmtKind::Assign { targets, value })
}

fn print(args: Vec<Expr>) -> Stmt {
    expr_stmt(call(name("print"), args, vec![]))
}

// ----- parse helpers -----

fn parse(src: &str) -> Vec<Stmt> {
    match parse_module(src) {
        Ok(stmts) => stmts,
        Err(e) => panic!("{src:?}: {} at {:?}", e.message, e.span),
    }
}

/// The single expression of an expression statement.
fn expr(src: &str) -> Expr {
    let stmts = parse(src);
    assert_eq!(stmts.len(), 1, "{src:?}");
    match stmts.into_iter().next().map(|s| s.kind) {
        Some(StmtKind::Expr(x)) => x,
        other => panic!("{src:?}: not an expression: {other:?}"),
    }
}

fn err(src: &str) -> SyntaxError {
    match parse_module(src) {
        Ok(stmts) => panic!("{src:?} parsed: {stmts:?}"),
        Err(e) => e,
    }
}

/// Asserts that `src` fails with `message`, its span covering `under`
/// (found by its first occurrence in `src` at or after `from`).
fn assert_err(src: &str, message: &str, under: &str) {
    let e = err(src);
    assert_eq!(e.message, message, "{src:?}");
    let got = src.get(e.span.start..e.span.end).unwrap_or("<bad span>");
    assert_eq!(got, under, "{src:?}: span {:?}", e.span);
}

/// Asserts that `src` is valid Python the tutor refuses: `NotImplementedError:
/// orm-tutor does not support {what} yet`, its span covering `under`.
fn assert_unsupported(src: &str, what: &str, under: &str) {
    let e = err(src);
    assert_eq!(e.kind, crate::language::error::SyntaxErrorKind::Unsupported);
    assert_eq!(e.type_name(), "NotImplementedError");
    assert_eq!(
        e.to_string(),
        format!("NotImplementedError: orm-tutor does not support {what} yet"),
        "{src:?}"
    );
    let got = src.get(e.span.start..e.span.end).unwrap_or("<bad span>");
    assert_eq!(got, under, "{src:?}: span {:?}", e.span);
}

fn text(src: &str, span: Span) -> &str {
    &src[span.start..span.end]
}

// ----- expressions -----

#[test]
fn literals() {
    assert_eq!(expr("1_000"), int(1000));
    assert_eq!(expr("2.5"), float(2.5));
    assert_eq!(expr("1e3"), float(1000.0));
    assert_eq!(expr(".5"), float(0.5));
    assert_eq!(expr("True"), e(ExprKind::Bool(true)));
    assert_eq!(expr("False"), e(ExprKind::Bool(false)));
    assert_eq!(expr("None"), e(ExprKind::None));
    assert_eq!(expr("'it''s'"), s("its"));
    assert_eq!(expr(r#""a\n\t\\\'\"\x41\u00e9""#), s("a\n\t\\'\"A\u{e9}"));
    assert_eq!(expr(r#"r"\d+\n""#), s(r"\d+\n"));
    assert_eq!(expr("'''a\nb'''"), s("a\nb"));
    assert_eq!(expr("\"\"\"x \"quoted\" y\"\"\""), s("x \"quoted\" y"));
    assert_eq!(expr("\"a\" 'b'"), s("ab"));
    assert_eq!(expr("(\"a\"\n \"b\")"), s("ab"));
    assert_eq!(expr("''"), s(""));
    // past 64 bits: unbounded, as Python's
    assert_eq!(
        expr("99999999999999999999"),
        e(ExprKind::BigInt(Box::new(
            "99999999999999999999".parse().unwrap()
        )))
    );
    assert_eq!(
        expr("0xff_ffffffffffffffff"),
        e(ExprKind::BigInt(Box::new(
            "4722366482869645213695".parse().unwrap()
        )))
    );
}

#[test]
fn fstrings() {
    assert_eq!(
        expr("f\"<User {self.name!r}>\""),
        e(ExprKind::FString(vec![
            lit("<User "),
            field(attr(name("self"), "name"), Some('r'), None),
            lit(">"),
        ]))
    );
    assert_eq!(
        expr("f'{x:.2f} {{y}}'"),
        e(ExprKind::FString(vec![
            field(name("x"), None, Some(".2f")),
            lit(" {y}"),
        ]))
    );
    assert_eq!(
        expr("f\"{d['k']}\""),
        e(ExprKind::FString(vec![field(
            sub(name("d"), s("k")),
            None,
            None
        )]))
    );
    assert_eq!(
        expr("f'{a + 1}' 'x' f'{b}'"),
        e(ExprKind::FString(vec![
            field(bin(name("a"), BinOp::Add, int(1)), None, None),
            lit("x"),
            field(name("b"), None, None),
        ]))
    );
    assert_eq!(
        expr("f'{x=}'"),
        e(ExprKind::FString(vec![
            lit("x="),
            field(name("x"), Some('r'), None)
        ]))
    );
    assert_eq!(expr("f''"), e(ExprKind::FString(vec![])));
    assert_eq!(
        expr("f'{a != b}'"),
        e(ExprKind::FString(vec![field(
            cmp(name("a"), vec![(CmpOp::NotEq, name("b"))]),
            None,
            None
        )]))
    );
    // Spans of field expressions point into the source.
    let src = "x = f'id={user.id}'";
    let stmts = parse(src);
    let StmtKind::Assign { value, .. } = &stmts[0].kind else {
        panic!()
    };
    let ExprKind::FString(parts) = &value.kind else {
        panic!()
    };
    let FStringPart::Field { expr, .. } = &parts[1] else {
        panic!()
    };
    assert_eq!(text(src, expr.span), "user.id");
    let ExprKind::Attribute { attr_span, .. } = &expr.kind else {
        panic!()
    };
    assert_eq!(text(src, *attr_span), "id");
}

#[test]
fn collections() {
    assert_eq!(expr("[1, 2,]"), list(vec![int(1), int(2)]));
    assert_eq!(expr("[]"), list(vec![]));
    assert_eq!(expr("()"), tuple(vec![]));
    assert_eq!(expr("(1,)"), tuple(vec![int(1)]));
    assert_eq!(expr("(1)"), int(1));
    assert_eq!(expr("1, 2"), tuple(vec![int(1), int(2)]));
    assert_eq!(expr("1,"), tuple(vec![int(1)]));
    assert_eq!(expr("{}"), e(ExprKind::Dict(vec![])));
    assert_eq!(
        expr("{'a': 1, \"b\": [2],}"),
        e(ExprKind::Dict(vec![
            (Some(s("a")), int(1)),
            (Some(s("b")), list(vec![int(2)]))
        ]))
    );
    assert_eq!(expr("[\n  1,\n  2,  # two\n]"), list(vec![int(1), int(2)]));
}

#[test]
fn trailers() {
    assert_eq!(expr("rows[0]"), sub(name("rows"), int(0)));
    assert_eq!(
        expr("rows[-1]"),
        sub(name("rows"), unary(UnaryOp::Neg, int(1)))
    );
    assert_eq!(
        expr("rows[1:3]"),
        sub(name("rows"), slice(Some(int(1)), Some(int(3)), None))
    );
    assert_eq!(expr("rows[:]"), sub(name("rows"), slice(None, None, None)));
    assert_eq!(
        expr("rows[::2]"),
        sub(name("rows"), slice(None, None, Some(int(2))))
    );
    assert_eq!(
        expr("rows[1:]"),
        sub(name("rows"), slice(Some(int(1)), None, None))
    );
    assert_eq!(expr("d[1, 2]"), sub(name("d"), tuple(vec![int(1), int(2)])));
    assert_eq!(
        expr("f(a, b=1)"),
        call(name("f"), vec![name("a")], vec![("b", int(1))])
    );
    assert_eq!(
        expr("f(\n  a,\n  b=1,\n)"),
        call(name("f"), vec![name("a")], vec![("b", int(1))])
    );
    assert_eq!(expr("f()"), call(name("f"), vec![], vec![]));
    assert_eq!(
        expr("session.query(User).all()"),
        call(
            attr(
                call(attr(name("session"), "query"), vec![name("User")], vec![]),
                "all"
            ),
            vec![],
            vec![]
        )
    );
    assert_eq!(
        expr("f(x == 1)"),
        call(
            name("f"),
            vec![cmp(name("x"), vec![(CmpOp::Eq, int(1))])],
            vec![]
        )
    );
}

#[test]
fn precedence() {
    use BinOp::*;
    assert_eq!(
        expr("a + b * c"),
        bin(name("a"), Add, bin(name("b"), Mul, name("c")))
    );
    assert_eq!(
        expr("a - b - c"),
        bin(bin(name("a"), Sub, name("b")), Sub, name("c"))
    );
    assert_eq!(
        expr("a // b % c / d"),
        bin(
            bin(bin(name("a"), FloorDiv, name("b")), Mod, name("c")),
            Div,
            name("d")
        )
    );
    assert_eq!(
        expr("-x ** 2"),
        unary(UnaryOp::Neg, bin(name("x"), Pow, int(2)))
    );
    assert_eq!(
        expr("2 ** -1"),
        bin(int(2), Pow, unary(UnaryOp::Neg, int(1)))
    );
    assert_eq!(
        expr("2 ** 3 ** 2"),
        bin(int(2), Pow, bin(int(3), Pow, int(2)))
    );
    assert_eq!(
        expr("a or b and not c"),
        boolop(
            BoolOp::Or,
            vec![
                name("a"),
                boolop(BoolOp::And, vec![name("b"), unary(UnaryOp::Not, name("c"))])
            ]
        )
    );
    assert_eq!(
        expr("a and b and c"),
        boolop(BoolOp::And, vec![name("a"), name("b"), name("c")])
    );
    assert_eq!(
        expr("not a == b"),
        unary(UnaryOp::Not, cmp(name("a"), vec![(CmpOp::Eq, name("b"))]))
    );
    assert_eq!(
        expr("a < b <= c"),
        cmp(
            name("a"),
            vec![(CmpOp::Lt, name("b")), (CmpOp::LtE, name("c"))]
        )
    );
    assert_eq!(
        expr("a > b >= c != d"),
        cmp(
            name("a"),
            vec![
                (CmpOp::Gt, name("b")),
                (CmpOp::GtE, name("c")),
                (CmpOp::NotEq, name("d"))
            ]
        )
    );
    assert_eq!(
        expr("x is not None"),
        cmp(name("x"), vec![(CmpOp::IsNot, e(ExprKind::None))])
    );
    assert_eq!(
        expr("x is None"),
        cmp(name("x"), vec![(CmpOp::Is, e(ExprKind::None))])
    );
    assert_eq!(
        expr("x not in y"),
        cmp(name("x"), vec![(CmpOp::NotIn, name("y"))])
    );
    assert_eq!(expr("x in y"), cmp(name("x"), vec![(CmpOp::In, name("y"))]));
    assert_eq!(
        expr("~User.is_active"),
        unary(UnaryOp::Invert, attr(name("User"), "is_active"))
    );
    assert_eq!(expr("+x"), unary(UnaryOp::Pos, name("x")));
}

#[test]
fn precedence_of_bitwise_conditional_and_lambda() {
    use BinOp::*;
    assert_eq!(
        expr("(a == 1) & (b == 2)"),
        bin(
            cmp(name("a"), vec![(CmpOp::Eq, int(1))]),
            BitAnd,
            cmp(name("b"), vec![(CmpOp::Eq, int(2))])
        )
    );
    assert_eq!(
        expr("a | b & c"),
        bin(name("a"), BitOr, bin(name("b"), BitAnd, name("c")))
    );
    assert_eq!(
        expr("a & b == c"),
        cmp(
            bin(name("a"), BitAnd, name("b")),
            vec![(CmpOp::Eq, name("c"))]
        )
    );
    assert_eq!(
        expr("a if b else c"),
        e(ExprKind::IfExp {
            test: Box::new(name("b")),
            body: Box::new(name("a")),
            orelse: Box::new(name("c")),
        })
    );
    assert_eq!(
        expr("a if b else c if d else e"),
        e(ExprKind::IfExp {
            test: Box::new(name("b")),
            body: Box::new(name("a")),
            orelse: Box::new(e(ExprKind::IfExp {
                test: Box::new(name("d")),
                body: Box::new(name("c")),
                orelse: Box::new(name("e")),
            })),
        })
    );
    assert_eq!(
        expr("lambda x, y: x + y"),
        e(ExprKind::Lambda {
            params: params(&["x", "y"], vec![]),
            body: Box::new(bin(name("x"), Add, name("y"))),
        })
    );
    assert_eq!(
        expr("lambda: 0"),
        e(ExprKind::Lambda {
            params: params(&[], vec![]),
            body: Box::new(int(0)),
        })
    );
    assert_eq!(
        expr("sorted(xs, key=lambda u: u.name)"),
        call(
            name("sorted"),
            vec![name("xs")],
            vec![(
                "key",
                e(ExprKind::Lambda {
                    params: params(&["u"], vec![]),
                    body: Box::new(attr(name("u"), "name")),
                })
            )]
        )
    );
}

#[test]
fn comprehensions() {
    assert_eq!(
        expr("[u.name for u in users if u.is_active]"),
        listcomp(
            attr(name("u"), "name"),
            name("u"),
            name("users"),
            vec![attr(name("u"), "is_active")]
        )
    );
    assert_eq!(
        expr("[(k, v) for k, v in d.items() if k if v]"),
        listcomp(
            tuple(vec![name("k"), name("v")]),
            tuple(vec![name("k"), name("v")]),
            call(attr(name("d"), "items"), vec![], vec![]),
            vec![name("k"), name("v")]
        )
    );
    assert_eq!(
        expr("sum(x for x in xs)"),
        call(
            name("sum"),
            vec![genexp(listcomp(name("x"), name("x"), name("xs"), vec![]))],
            vec![]
        )
    );
    assert_eq!(
        expr("(x * 2 for x in xs)"),
        genexp(listcomp(
            bin(name("x"), BinOp::Mul, int(2)),
            name("x"),
            name("xs"),
            vec![]
        ))
    );
    assert_eq!(
        expr("[a if a else b for a in c]"),
        listcomp(
            e(ExprKind::IfExp {
                test: Box::new(name("a")),
                body: Box::new(name("a")),
                orelse: Box::new(name("b")),
            }),
            name("a"),
            name("c"),
            vec![]
        )
    );
}

// ----- statements -----

#[test]
fn assignments() {
    assert_eq!(parse("x = 1"), vec![assign(vec![name("x")], int(1))]);
    assert_eq!(
        parse("a = b = 2"),
        vec![assign(vec![name("a"), name("b")], int(2))]
    );
    assert_eq!(
        parse("obj.attr = v"),
        vec![assign(vec![attr(name("obj"), "attr")], name("v"))]
    );
    assert_eq!(
        parse("d[k] = v"),
        vec![assign(vec![sub(name("d"), name("k"))], name("v"))]
    );
    assert_eq!(
        parse("a, b = 1, 2"),
        vec![assign(
            vec![tuple(vec![name("a"), name("b")])],
            tuple(vec![int(1), int(2)])
        )]
    );
    assert_eq!(
        parse("[a, (b, c)] = x"),
        vec![assign(
            vec![list(vec![name("a"), tuple(vec![name("b"), name("c")])])],
            name("x")
        )]
    );
    for (src, op) in [
        ("x += 1", BinOp::Add),
        ("x -= 1", BinOp::Sub),
        ("x *= 1", BinOp::Mul),
        ("x /= 1", BinOp::Div),
        ("x //= 1", BinOp::FloorDiv),
        ("x %= 1", BinOp::Mod),
        ("x **= 1", BinOp::Pow),
        ("x &= 1", BinOp::BitAnd),
        ("x |= 1", BinOp::BitOr),
    ] {
        assert_eq!(
            parse(src),
            vec![st(StmtKind::AugAssign {
                target: name("x"),
                op,
                value: int(1)
            })],
            "{src}"
        );
    }
    assert_eq!(
        parse("user.count += 1"),
        vec![st(StmtKind::AugAssign {
            target: attr(name("user"), "count"),
            op: BinOp::Add,
            value: int(1)
        })]
    );
}

#[test]
fn simple_statements() {
    assert_eq!(
        parse("x = 1; y = 2;\nprint(x)  # done\n"),
        vec![
            assign(vec![name("x")], int(1)),
            assign(vec![name("y")], int(2)),
            print(vec![name("x")]),
        ]
    );
    assert_eq!(
        parse("del x, d[k], o.a"),
        vec![st(StmtKind::Delete(vec![
            name("x"),
            sub(name("d"), name("k")),
            attr(name("o"), "a")
        ]))]
    );
    assert_eq!(
        parse("assert x, 'msg'\nassert y"),
        vec![
            st(StmtKind::Assert {
                test: name("x"),
                msg: Some(s("msg"))
            }),
            st(StmtKind::Assert {
                test: name("y"),
                msg: None
            })
        ]
    );
    assert_eq!(
        parse("global a, b"),
        vec![st(StmtKind::Global(vec!["a".into(), "b".into()]))]
    );
    assert_eq!(
        parse("raise\nraise ValueError('x')\nraise E from err"),
        vec![
            st(StmtKind::Raise {
                exc: None,
                cause: None
            }),
            st(StmtKind::Raise {
                exc: Some(call(name("ValueError"), vec![s("x")], vec![])),
                cause: None,
            }),
            st(StmtKind::Raise {
                exc: Some(name("E")),
                cause: Some(name("err")),
            }),
        ]
    );
    assert_eq!(parse("pass"), vec![st(StmtKind::Pass)]);
    assert_eq!(parse(""), vec![]);
    assert_eq!(parse("\n\n# just a comment\n   \n"), vec![]);
    assert_eq!(
        parse("x = 1 + \\\n    2"),
        vec![assign(vec![name("x")], bin(int(1), BinOp::Add, int(2)))]
    );
    assert_eq!(
        parse("x = 1\r\ny = 2\r\n"),
        vec![
            assign(vec![name("x")], int(1)),
            assign(vec![name("y")], int(2))
        ]
    );
}

#[test]
fn imports() {
    let import = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let parse = |src: &str| match &parse(src)[..] {
        [
            Stmt {
                kind: StmtKind::Import(i),
                ..
            },
        ] => i.bound_names(),
        other => panic!("{other:?}"),
    };
    assert_eq!(parse("import x"), import(&["x"]));
    assert_eq!(parse("import x.y.z"), import(&["x"]));
    assert_eq!(parse("import x.y as z, os"), import(&["z", "os"]));
    assert_eq!(parse("from a.b import c, d as e"), import(&["c", "e"]));
    assert_eq!(parse("from x import *"), import(&["*"]));
    assert_eq!(parse("from x import (a,\n    b,\n)"), import(&["a", "b"]));
    assert_eq!(parse("from . import models"), import(&["models"]));
    assert_eq!(parse("from ..pkg.mod import thing"), import(&["thing"]));
    assert_err(
        "from x import a,",
        "trailing comma not allowed without surrounding parentheses",
        ",",
    );
}

#[test]
fn loops() {
    assert_eq!(
        parse("for u in users: print(u.name)"),
        vec![st(StmtKind::For {
            target: name("u"),
            iter: name("users"),
            body: vec![print(vec![attr(name("u"), "name")])],
            orelse: vec![],
        })]
    );
    assert_eq!(
        parse("for u in users: print(u); print(1)\nprint(2)"),
        vec![
            st(StmtKind::For {
                target: name("u"),
                iter: name("users"),
                body: vec![print(vec![name("u")]), print(vec![int(1)])],
                orelse: vec![],
            }),
            print(vec![int(2)])
        ]
    );
    assert_eq!(
        parse("for k, v in items:\n    print(k)\n\n    print(v)\nprint(3)\n"),
        vec![
            st(StmtKind::For {
                target: tuple(vec![name("k"), name("v")]),
                iter: name("items"),
                body: vec![print(vec![name("k")]), print(vec![name("v")])],
                orelse: vec![],
            }),
            print(vec![int(3)])
        ]
    );
    assert_eq!(
        parse("for i in 1, 2:\n\tif i:\n\t\tbreak\n\tcontinue"),
        vec![st(StmtKind::For {
            target: name("i"),
            iter: tuple(vec![int(1), int(2)]),
            body: vec![
                st(StmtKind::If {
                    test: name("i"),
                    body: vec![st(StmtKind::Break)],
                    orelse: vec![]
                }),
                st(StmtKind::Continue)
            ],
            orelse: vec![],
        })]
    );
    assert_eq!(
        parse("while n > 0:\n    n -= 1"),
        vec![st(StmtKind::While {
            test: cmp(name("n"), vec![(CmpOp::Gt, int(0))]),
            body: vec![st(StmtKind::AugAssign {
                target: name("n"),
                op: BinOp::Sub,
                value: int(1)
            })],
            orelse: vec![],
        })]
    );
}

#[test]
fn if_elif_else() {
    let src = "if a:\n    x = 1\nelif b:\n    x = 2\nelif c: x = 3\nelse:\n    x = 4\n";
    let stmts = parse(src);
    assert_eq!(
        stmts,
        vec![st(StmtKind::If {
            test: name("a"),
            body: vec![assign(vec![name("x")], int(1))],
            orelse: vec![st(StmtKind::If {
                test: name("b"),
                body: vec![assign(vec![name("x")], int(2))],
                orelse: vec![st(StmtKind::If {
                    test: name("c"),
                    body: vec![assign(vec![name("x")], int(3))],
                    orelse: vec![assign(vec![name("x")], int(4))],
                })],
            })],
        })]
    );
    assert_eq!(text(src, stmts[0].span), src.trim_end());
    let StmtKind::If { orelse, .. } = &stmts[0].kind else {
        panic!()
    };
    assert!(text(src, orelse[0].span).starts_with("elif b:"));
    assert!(text(src, orelse[0].span).ends_with("x = 4"));
    // The else belongs to the outer if, after a nested block.
    assert_eq!(
        parse("if a:\n    if b:\n        pass\nelse:\n    pass"),
        vec![st(StmtKind::If {
            test: name("a"),
            body: vec![st(StmtKind::If {
                test: name("b"),
                body: vec![st(StmtKind::Pass)],
                orelse: vec![]
            })],
            orelse: vec![st(StmtKind::Pass)],
        })]
    );
}

#[test]
fn with_statements() {
    assert_eq!(
        parse("with Session(engine) as s:\n    s.add(u)\n    s.commit()\n"),
        vec![st(StmtKind::With {
            items: vec![WithItem {
                context: call(name("Session"), vec![name("engine")], vec![]),
                target: Some(name("s")),
            }],
            body: vec![
                expr_stmt(call(attr(name("s"), "add"), vec![name("u")], vec![])),
                expr_stmt(call(attr(name("s"), "commit"), vec![], vec![])),
            ],
        })]
    );
    assert_eq!(
        parse("with a as x, b: pass"),
        vec![st(StmtKind::With {
            items: vec![
                WithItem {
                    context: name("a"),
                    target: Some(name("x"))
                },
                WithItem {
                    context: name("b"),
                    target: None
                },
            ],
            body: vec![st(StmtKind::Pass)],
        })]
    );
}

#[test]
fn try_statements() {
    let src = "\
try:
    session.commit()
except IntegrityError as e:
    session.rollback()
    print(e)
except (ValueError, KeyError):
    pass
except:
    raise
else:
    print('ok')
finally:
    session.close()
";
    let stmts = parse(src);
    let method = |obj: &str, m: &str| expr_stmt(call(attr(name(obj), m), vec![], vec![]));
    assert_eq!(
        stmts,
        vec![st(StmtKind::Try {
            body: vec![method("session", "commit")],
            handlers: vec![
                ExceptHandler {
                    type_: Some(name("IntegrityError")),
                    name: Some("e".into()),
                    body: vec![method("session", "rollback"), print(vec![name("e")])],
                    span: Span::default(),
                    star: false,
                },
                ExceptHandler {
                    type_: Some(tuple(vec![name("ValueError"), name("KeyError")])),
                    name: None,
                    body: vec![st(StmtKind::Pass)],
                    span: Span::default(),
                    star: false,
                },
                ExceptHandler {
                    type_: None,
                    name: None,
                    body: vec![st(StmtKind::Raise {
                        exc: None,
                        cause: None
                    })],
                    span: Span::default(),
                    star: false,
                },
            ],
            orelse: vec![print(vec![s("ok")])],
            finalbody: vec![method("session", "close")],
        })]
    );
    assert_eq!(text(src, stmts[0].span), src.trim_end());
    let StmtKind::Try { handlers, .. } = &stmts[0].kind else {
        panic!()
    };
    assert_eq!(
        text(src, handlers[0].span),
        "except IntegrityError as e:\n    session.rollback()\n    print(e)"
    );
    assert_eq!(
        parse("try: x\nfinally: y"),
        vec![st(StmtKind::Try {
            body: vec![expr_stmt(name("x"))],
            handlers: vec![],
            orelse: vec![],
            finalbody: vec![expr_stmt(name("y"))],
        })]
    );
}

#[test]
fn definitions() {
    assert_eq!(
        parse("def add(a, b,):\n    '''Adds.'''\n    return a + b\n"),
        vec![st(StmtKind::FunctionDef {
            name: "add".into(),
            params: params(&["a", "b"], vec![]),
            body: vec![
                expr_stmt(s("Adds.")),
                st(StmtKind::Return(Some(bin(
                    name("a"),
                    BinOp::Add,
                    name("b")
                )))),
            ],
        })]
    );
    assert_eq!(
        parse("def f(): return\n"),
        vec![st(StmtKind::FunctionDef {
            name: "f".into(),
            params: params(&[], vec![]),
            body: vec![st(StmtKind::Return(None))],
        })]
    );
    assert_eq!(
        parse("def f():\n    for x in y:\n        return x, 1\n"),
        vec![st(StmtKind::FunctionDef {
            name: "f".into(),
            params: params(&[], vec![]),
            body: vec![st(StmtKind::For {
                target: name("x"),
                iter: name("y"),
                body: vec![st(StmtKind::Return(Some(tuple(vec![name("x"), int(1)]))))],
                orelse: vec![],
            })],
        })]
    );
    assert_eq!(
        parse("class A: pass\nclass B(): pass\nclass C(A, B):\n    x = 1"),
        vec![
            st(StmtKind::ClassDef {
                name: "A".into(),
                bases: vec![],
                keywords: vec![],
                body: vec![st(StmtKind::Pass)]
            }),
            st(StmtKind::ClassDef {
                name: "B".into(),
                bases: vec![],
                keywords: vec![],
                body: vec![st(StmtKind::Pass)]
            }),
            st(StmtKind::ClassDef {
                name: "C".into(),
                bases: vec![name("A"), name("B")],
                keywords: vec![],
                body: vec![assign(vec![name("x")], int(1))]
            }),
        ]
    );
}

// ----- spans -----

#[test]
fn statement_spans() {
    let src = "x = 1  # one\nfor u in users:\n    print(u)   # show\n\n    pass\ny = f(a,\n      b)\nz = 2; w = 3\n";
    let stmts = parse(src);
    let texts: Vec<&str> = stmts.iter().map(|s| text(src, s.span)).collect();
    assert_eq!(
        texts,
        vec![
            "x = 1",
            "for u in users:\n    print(u)   # show\n\n    pass",
            "y = f(a,\n      b)",
            "z = 2",
            "w = 3"
        ]
    );
    let StmtKind::For { body, .. } = &stmts[1].kind else {
        panic!()
    };
    assert_eq!(text(src, body[0].span), "print(u)");
    let src =
        "class User(Base):\n    def __repr__(self):\n        return f\"<User {self.name}>\"\n";
    let stmts = parse(src);
    assert_eq!(text(src, stmts[0].span), src.trim_end());
    let StmtKind::ClassDef { body, .. } = &stmts[0].kind else {
        panic!()
    };
    assert_eq!(text(src, body[0].span), src.trim_end()[18..].trim_start());
}

#[test]
fn expression_spans() {
    let src = "session.query(User).filter(User.name == 'x').all()";
    let x = expr(src);
    assert_eq!(text(src, x.span), src);
    let ExprKind::Call { func, .. } = &x.kind else {
        panic!()
    };
    let ExprKind::Attribute {
        value, attr_span, ..
    } = &func.kind
    else {
        panic!()
    };
    assert_eq!(
        text(src, func.span),
        "session.query(User).filter(User.name == 'x').all"
    );
    assert_eq!(text(src, *attr_span), "all");
    assert_eq!(
        text(src, value.span),
        "session.query(User).filter(User.name == 'x')"
    );
    let ExprKind::Call { args, .. } = &value.kind else {
        panic!()
    };
    assert_eq!(text(src, args[0].span), "User.name == 'x'");
    let ExprKind::Compare { left, .. } = &args[0].kind else {
        panic!()
    };
    let ExprKind::Attribute { attr_span, .. } = &left.kind else {
        panic!()
    };
    assert_eq!(text(src, *attr_span), "name");

    let src = "(a == 1) & (b == 2)";
    let x = expr(src);
    assert_eq!(text(src, x.span), src);
    let ExprKind::BinOp { left, right, .. } = &x.kind else {
        panic!()
    };
    assert_eq!(text(src, left.span), "a == 1");
    assert_eq!(text(src, right.span), "b == 2");

    let src = "f(a, key=1)";
    let ExprKind::Call { kwargs, .. } = expr(src).kind else {
        panic!()
    };
    assert_eq!(text(src, kwargs[0].span), "key=1");

    let src = "rows[1:3]";
    let ExprKind::Subscript { index, .. } = expr(src).kind else {
        panic!()
    };
    assert_eq!(text(src, index.span), "1:3");

    let src = "[x for x in xs]";
    assert_eq!(text(src, expr(src).span), src);
    let src = "'a' \"b\"";
    assert_eq!(text(src, expr(src).span), src);
    let src = "-x ** 2";
    assert_eq!(text(src, expr(src).span), src);
    let src = "not a or b";
    assert_eq!(text(src, expr(src).span), src);
    let src = "(1, 2)";
    assert_eq!(text(src, expr(src).span), src);
    let src = "héllo.wörld";
    let x = expr(src);
    assert_eq!(text(src, x.span), src);
    let ExprKind::Attribute { attr_span, .. } = x.kind else {
        panic!()
    };
    assert_eq!(text(src, attr_span), "wörld");
}

// ----- errors -----

#[test]
fn bracket_errors() {
    assert_err("print(foo(1, 2)", "'(' was never closed", "(");
    assert_err("x = [1, 2,\ny = 3\n", "'[' was never closed", "[");
    assert_err("x = 1)", "unmatched ')'", ")");
    assert_err(
        "x = {'a': 1]",
        "closing parenthesis ']' does not match opening parenthesis '{'",
        "]",
    );
    assert_err(
        "f(a,\n  b]",
        "closing parenthesis ']' does not match opening parenthesis '(' on line 1",
        "]",
    );
}

#[test]
fn string_errors() {
    assert_err(
        "x = 'abc\ny = 1",
        "unterminated string literal (detected at line 1)",
        "'abc",
    );
    assert_err(
        "x = 1\ny = \"abc",
        "unterminated string literal (detected at line 2)",
        "\"abc",
    );
    assert_err(
        "x = '''abc\n\nmore",
        "unterminated triple-quoted string literal (detected at line 3)",
        "'''",
    );
    assert_err("f'{x'", "f-string: expecting '}'", "{");
    assert_err("f'{x!r'", "f-string: expecting '}'", "{");
    assert_err("f'a}'", "f-string: single '}' is not allowed", "}");
    assert_err("f'{}'", "f-string: empty expression not allowed", "{}");
    assert_err(
        "f'{a b}'",
        "f-string: invalid syntax. Perhaps you forgot a comma?",
        "a b",
    );
    assert_err("f'{a +}'", "f-string: invalid syntax", "");
    assert_err(
        "x = 'a\\x4'",
        "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\xXX escape",
        "\\x",
    );
}

#[test]
fn syntax_errors() {
    assert_err("x = = 1", "invalid syntax", "=");
    assert_err("x = 1 2", "invalid syntax", "2");
    assert_err("foo bar", "invalid syntax", "bar");
    assert_err("else: pass", "invalid syntax", "else");
    assert_err("x.1", "invalid syntax", ".1");
    assert_err("x = ", "invalid syntax", " ");
    assert_err("x =", "invalid syntax", "");
    assert_err("for x in y\n    pass", "expected ':'", "\n");
    assert_err("if x\n", "expected ':'", "\n");
    assert_err("class A\n", "expected ':'", "\n");
    assert_err("def f:\n  pass", "expected '('", ":");
    assert_err("def f(x) pass", "expected ':'", "pass");
    assert_err(
        "print(a b)",
        "invalid syntax. Perhaps you forgot a comma?",
        "a b",
    );
    assert_err(
        "[1, 2 3]",
        "invalid syntax. Perhaps you forgot a comma?",
        "2 3",
    );
    assert_err(
        "f(x, 'a' y.z)",
        "invalid syntax. Perhaps you forgot a comma?",
        "'a' y.z",
    );
    assert_err(
        "f() = 1",
        "cannot assign to function call here. Maybe you meant '==' instead of '='?",
        "f()",
    );
    assert_err(
        "1 = x",
        "cannot assign to literal here. Maybe you meant '==' instead of '='?",
        "1",
    );
    assert_err(
        "a + b = c",
        "cannot assign to expression here. Maybe you meant '==' instead of '='?",
        "a + b",
    );
    assert_err(
        "x, f() = 1, 2",
        "cannot assign to function call here. Maybe you meant '==' instead of '='?",
        "f()",
    );
    assert_err("None = 1", "cannot assign to None", "None");
    assert_err(
        "for f() in x: pass",
        "cannot assign to function call",
        "f()",
    );
    assert_err("with a as 1: pass", "cannot assign to literal", "1");
    assert_err("del f()", "cannot delete function call", "f()");
    assert_err(
        "f() += 1",
        "'function call' is an illegal expression for augmented assignment",
        "f()",
    );
    assert_err(
        "a, b += 1",
        "'tuple' is an illegal expression for augmented assignment",
        "a, b",
    );
    assert_err(
        "if x = 1: pass",
        "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
        "x = 1",
    );
    assert_err(
        "session.query(User).filter(User.name = 'x')",
        "expression cannot contain assignment, perhaps you meant \"==\"?",
        "User.name = 'x'",
    );
    assert_err(
        "f(a=1, b)",
        "positional argument follows keyword argument",
        "b",
    );
    assert_err("f(a=1, a=2)", "keyword argument repeated: a", "a");
    assert_err(
        "f(x for x in y, 1)",
        "Generator expression must be parenthesized",
        "x for x in y",
    );
    assert_err(
        "x = a if b",
        "expected 'else' after 'if' expression",
        "a if b",
    );
    assert_err(
        "[x, y for x in z]",
        "did you forget parentheses around the comprehension target?",
        "x, y",
    );
    assert_err(
        "print 'hello'",
        "Missing parentheses in call to 'print'. Did you mean print(...)?",
        "print 'hello'",
    );
    assert_err(
        "try:\n    x\ny = 1",
        "expected 'except' or 'finally' block",
        "y",
    );
    assert_err(
        "try: x\nexcept: y\nexcept E: z",
        "default 'except:' must be last",
        "except: y",
    );
    assert_err(
        "try: x\nexcept A, B: y",
        "multiple exception types must be parenthesized",
        "A, B",
    );
}

#[test]
fn misplaced_and_unsupported_syntax_errors() {
    assert_err("break", "'break' outside loop", "break");
    assert_err("continue", "'continue' not properly in loop", "continue");
    assert_err("return 1", "'return' outside function", "return");
    assert_err(
        "for x in y:\n    def f():\n        break",
        "'break' outside loop",
        "break",
    );
    assert_err(
        "class A:\n    return",
        "'return' outside function",
        "return",
    );
    assert_err("{'a': 1, 'b'}", "':' expected after dictionary key", "}");
    assert_err(
        "{'a': 1 'b': 2}",
        "invalid syntax. Perhaps you forgot a comma?",
        "1 'b'",
    );
    assert_unsupported("x = a @ b", "the '@' operator", "@");
    // set displays and set/dict comprehensions parse (as set(...)/dict(...))
    assert!(parse_module("{1, 2}").is_ok());
    assert!(parse_module("{x for x in xs}").is_ok());
    assert!(parse_module("{k: v for k, v in xs}").is_ok());
    assert_err("{1, 2:3}", "invalid syntax", ":");
    assert_err(
        "def f(x=1, y): pass",
        "non-default argument follows default argument",
        "y",
    );
    assert_err(
        "def f(a, a): pass",
        "duplicate argument 'a' in function definition",
        "a",
    );
    assert_err(
        "a, b: int = 1, 2",
        "only single target (not tuple) can be annotated",
        "a, b",
    );
    assert_err("f(): int", "illegal target for annotation", "f()");
    assert!(parse_module("x = 1 << 2 >> 1 ^ 3 & 4 | 5\nx ^= 1\nx <<= 2\nx >>= 1").is_ok());
    assert_err("x = “hi”", "invalid character '“' (U+201C)", "“");
}

#[test]
fn indentation_errors() {
    assert_err("  x = 1", "unexpected indent", "x");
    assert_err("x = 1\n    y = 2\n", "unexpected indent", "y");
    assert_err(
        "for x in y:\nprint(x)",
        "expected an indented block after 'for' statement on line 1",
        "print",
    );
    assert_err(
        "x = 1\nif x:\n\n# c\nelse:\n  pass",
        "expected an indented block after 'if' statement on line 2",
        "else",
    );
    assert_err(
        "def f():\n",
        "expected an indented block after function definition on line 1",
        "",
    );
    assert_err(
        "class A:\npass",
        "expected an indented block after class definition on line 1",
        "pass",
    );
    assert_err(
        "try:\n    x\nexcept E:\ny",
        "expected an indented block after 'except' statement on line 3",
        "y",
    );
    assert_err(
        "with a:\nb",
        "expected an indented block after 'with' statement on line 1",
        "b",
    );
    assert_err(
        "if x:\n    a\n  b\n",
        "unindent does not match any outer indentation level",
        "b",
    );
    assert_err(
        "if x:\n        a\n\tb\n",
        "inconsistent use of tabs and spaces in indentation",
        "b",
    );
}

// ----- REPL -----

#[test]
fn incomplete_input() {
    let incomplete = [
        "print(1,",
        "for i in y:\n    pass\nelse:",
        "x = [\n  1,",
        "d = {'a':",
        "s = '''abc",
        "s = \"\"\"abc\n",
        "x = 1 + \\",
        "for u in users:",
        "for u in users:\n    print(u)",
        "for u in users:\n    print(u)\n    ",
        "for u in users:\n    print(u)\n   ",
        "if x:\n    pass\nelse:",
        "class A(Base):\n    __tablename__ = 'a'",
        "def f():\n    return 1",
        "def f():\n    yield 1",
        "try:",
        "try:\n    x\nexcept E:",
        "with s:",
        "while x:",
        "if a:\n    b = (1,\n\n",
        "if x:\n    if y:",
        "try:\n    x",
        "try:\n    x\nexcept E:\n    y",
        "x = 1\nfor u in y:",
        "s = \"\"\"\n\n",
    ];
    for src in incomplete {
        assert!(is_incomplete(src), "{src:?} should be incomplete");
    }
    let complete = [
        "",
        "x = 1",
        "print(u)",
        "for u in users: print(u)",
        "for u in users:\n    print(u)\n",
        "if x:\n    pass\nelse:\n    pass\n",
        "for u in users:\n",
        "x = )",
        "x = 'abc",
        "x = (]",
        "  x = 1",
        "x = 1 \\ y",
        "d = {'a': 1}  # comment:",
        "s = 'a:'",
        "if x:\npass",
        "for x in y:\n    x =",
        "for x in y:\n    x = ",
        "try:\n    x\n",
    ];
    for src in complete {
        assert!(!is_incomplete(src), "{src:?} should be complete");
    }
}

// ----- limits -----

/// Runs `f` on a thread with a 2 MiB stack, the default for spawned
/// threads, to check that deep input cannot overflow it.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn input_too_long() {
    let src = "x = 1\n".repeat(200_000);
    assert_eq!(err(&src).message, "input too long (over 1 MiB)");
    assert!(!is_incomplete(&src));
}

#[test]
fn nesting_limits() {
    on_small_stack(|| {
        let ok = format!("x = {}1{}", "(".repeat(100), ")".repeat(100));
        assert_eq!(parse(&ok), vec![assign(vec![name("x")], int(1))]);
        let ok = format!("x = {}{}", "[".repeat(100), "]".repeat(100));
        parse(&ok);
        let ok = format!("x = {}1{}", "f(".repeat(99), ")".repeat(99));
        parse(&ok);
        let ok = format!("x = {}1", "-".repeat(100));
        parse(&ok);

        let deep = format!("x = {}1{}", "(".repeat(101), ")".repeat(101));
        let e = err(&deep);
        assert_eq!(e.message, "too many nested parentheses");
        assert_eq!(e.span.start, 104);
        for src in [
            "(".repeat(100_000),
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            format!("f{}", "(".repeat(100_000)),
        ] {
            assert_eq!(err(&src).message, "too many nested parentheses");
            // Wrong input, not unfinished input: the REPL must not wait.
            assert!(!is_incomplete(&src));
        }
        for src in [
            format!("x = {}1", "-".repeat(100_000)),
            format!("x = {}1", "~".repeat(101)),
            format!("x = {}x", "not ".repeat(100_000)),
            format!("x = 2{}", " ** -2".repeat(100_000)),
            format!("x = {}1", "lambda: ".repeat(100_000)),
            format!("x = 1{}", " if c else 1".repeat(50_000)),
        ] {
            assert_eq!(
                err(&src).message,
                "too many nested operators (over 100)",
                "{}",
                &src[..20]
            );
        }
        // Mixed brackets and operators count together.
        let src = format!("x = {}1{}", "-(".repeat(60), ")".repeat(60));
        assert!(err(&src).message.starts_with("too many nested"));
        // Nested f-strings.
        parse("f'{f\"{x}\"}'");
    });
}

#[test]
fn tree_depth_limits() {
    on_small_stack(|| {
        let src = format!("x = 1{}", " + 1".repeat(100_000));
        assert!(err(&src).message.starts_with("expression too complex"));
        let src = format!("x = a{}", ".b".repeat(100_000));
        assert!(err(&src).message.starts_with("expression too complex"));
        let src = format!("x = a{}", "[0]".repeat(100_000));
        assert!(err(&src).message.starts_with("expression too complex"));
        let src = format!("x = f{}", "()".repeat(100_000));
        assert!(err(&src).message.starts_with("expression too complex"));
        // Wide is fine: flat lists, and/or chains and comparisons.
        let src = format!("x = [{}]", "1, ".repeat(100_000));
        parse(&src);
        let src = format!("x = a{}", " and a".repeat(100_000));
        parse(&src);
        let src = format!("x = a{}", " < a".repeat(100_000));
        parse(&src);
        let src = format!("x = 'a'{}", " 'b'".repeat(100_000));
        parse(&src);
        let src = format!("x = 1{}", " + 1".repeat(250));
        parse(&src);
    });
}

#[test]
fn block_limits() {
    on_small_stack(|| {
        let mut src = String::new();
        for level in 0..100 {
            src.push_str(&" ".repeat(level));
            src.push_str("if x:\n");
        }
        src.push_str(&" ".repeat(100));
        src.push_str("pass\n");
        parse(&src);
        let mut src = String::new();
        for level in 0..101 {
            src.push_str(&" ".repeat(level));
            src.push_str("if x:\n");
        }
        src.push_str(&" ".repeat(101));
        src.push_str("pass\n");
        assert!(err(&src).message.starts_with("too many nested blocks"));
        let src = format!("if a: pass\n{}else: pass\n", "elif b: pass\n".repeat(98));
        parse(&src);
        let src = format!(
            "if a: pass\n{}else: pass\n",
            "elif b: pass\n".repeat(50_000)
        );
        assert!(err(&src).message.starts_with("too many nested blocks"));
        let src = format!("x = 1\n{}", "\n".repeat(100_000));
        parse(&src);
    });
}

// ----- real scripts -----

const MODEL_FILE: &str = r#"from datetime import datetime
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

user_groups = Table(
    "user_groups",
    Base.metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id"), primary_key=True),
)


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    created_at = Column(DateTime, default=datetime.utcnow)

    messages = relationship("Message", back_populates="user")

    def __repr__(self):
        return f"<User {self.name!r}>"
"#;

#[test]
fn model_file() {
    let stmts = parse(MODEL_FILE);
    assert_eq!(stmts.len(), 6);
    let StmtKind::Import(i) = &stmts[0].kind else {
        panic!("{:?}", stmts[0]);
    };
    assert_eq!(i.bound_names(), ["datetime"]);
    assert_eq!(i.from, Some((0, "datetime".to_string())));
    let StmtKind::Import(i) = &stmts[2].kind else {
        panic!("{:?}", stmts[2]);
    };
    assert_eq!(i.bound_names(), ["declarative_base", "relationship"]);
    assert_eq!(i.from, Some((0, "sqlalchemy.orm".to_string())));
    let StmtKind::ClassDef {
        name: class,
        bases,
        body,
        ..
    } = &stmts[5].kind
    else {
        panic!("{:?}", stmts[5]);
    };
    assert_eq!(class, "User");
    assert_eq!(bases, &vec![name("Base")]);
    assert_eq!(body.len(), 6);
    assert_eq!(body[0], assign(vec![name("__tablename__")], s("users")));
    assert_eq!(
        body[1],
        assign(
            vec![name("id")],
            call(
                name("Column"),
                vec![name("Integer")],
                vec![("primary_key", e(ExprKind::Bool(true)))]
            )
        )
    );
    assert_eq!(
        body[5],
        st(StmtKind::FunctionDef {
            name: "__repr__".into(),
            params: params(&["self"], vec![]),
            body: vec![st(StmtKind::Return(Some(e(ExprKind::FString(vec![
                lit("<User "),
                field(attr(name("self"), "name"), Some('r'), None),
                lit(">"),
            ])))))],
        })
    );
    assert!(text(MODEL_FILE, stmts[4].span).starts_with("user_groups = Table("));
    assert!(text(MODEL_FILE, stmts[4].span).ends_with("primary_key=True),\n)"));
    assert!(text(MODEL_FILE, stmts[5].span).ends_with("return f\"<User {self.name!r}>\""));
}

#[test]
fn real_scripts() {
    let lines = [
        "session.query(User).filter(User.name == \"x'; DROP TABLE users; --\").all()",
        "for u in session.query(User).order_by(User.id).limit(per_page).offset((page - 1) * per_page).all(): print(u.id, u.name)",
        "session.query(Message.user_id, func.count(Message.id).label(\"n\")).group_by(Message.user_id).order_by(func.count(Message.id).desc()).limit(3).all()",
        "for user in users:\n    print(user.name, len(user.messages))",
        "session.query(User).filter((User.id > 1) & ~User.name.in_(['a', 'b'])).count()",
        "names = [u.name for u in session.query(User).all() if u.name is not None]",
        "stmt = select(User).where(User.name.like('%a%')).order_by(User.id.desc())",
    ];
    for src in lines {
        let stmts = parse(src);
        assert_eq!(stmts.len(), 1, "{src}");
        assert_eq!(text(src, stmts[0].span), src);
    }
    let src = "\
try:
    session.add(User(name=\"ann\"))
    session.commit()
except IntegrityError as e:
    session.rollback()
    print(\"failed:\", e)
finally:
    session.close()

with Session(engine) as s:
    for u in s.query(User):
        print(u)
    s.commit()
";
    let stmts = parse(src);
    assert_eq!(stmts.len(), 2);
    assert!(matches!(stmts[0].kind, StmtKind::Try { .. }));
    assert!(matches!(stmts[1].kind, StmtKind::With { .. }));
    assert_eq!(
        text(src, stmts[1].span),
        "with Session(engine) as s:\n    for u in s.query(User):\n        print(u)\n    s.commit()"
    );
}

#[test]
fn long_scripts_parse_whole() {
    // Speed is measured in `cargo bench --bench workloads`, never in a
    // timed test; here the long script must parse to every statement.
    let mut src = String::new();
    for i in 0..20 {
        src.push_str(MODEL_FILE);
        src.push_str(&format!(
            "for u in session.query(User).filter(User.id > {i}).all():\n    print(f\"{{u.id}}: {{u.name!r}}\")\n"
        ));
    }
    assert!(src.lines().count() > 200);
    let once = parse(MODEL_FILE).len() + 1;
    assert_eq!(parse(&src).len(), once * 20);
}

#[test]
fn variable_annotations_keep_target_annotation_and_value() {
    let stmts =
        parse_module("id: Mapped[int] = mapped_column(primary_key=True)\nname: Mapped[str]\n")
            .unwrap();
    let StmtKind::AnnAssign {
        target,
        annotation,
        value,
    } = &stmts[0].kind
    else {
        panic!("{:?}", stmts[0]);
    };
    assert!(matches!(&target.kind, ExprKind::Name(n) if n == "id"));
    assert!(matches!(&annotation.kind, ExprKind::Subscript { .. }));
    assert!(value.is_some());
    assert!(matches!(
        &stmts[1].kind,
        StmtKind::AnnAssign { value: None, .. }
    ));
}

// ----- async -----

#[test]
fn await_binds_tighter_than_power_and_looser_than_calls() {
    assert_eq!(
        expr("await s.get(User, 1)"),
        e(ExprKind::Await(Box::new(call(
            attr(name("s"), "get"),
            vec![name("User"), int(1)],
            vec![]
        ))))
    );
    assert_eq!(
        expr("await x ** 2"),
        bin(e(ExprKind::Await(Box::new(name("x")))), BinOp::Pow, int(2))
    );
}

#[test]
fn async_def_with_and_for_wrap_their_statement() {
    let stmts = parse(
        "async def f(x):\n    async with s as t:\n        async for y in t:\n            await y\n",
    );
    let StmtKind::Async(def) = &stmts[0].kind else {
        panic!("{stmts:?}")
    };
    let StmtKind::FunctionDef { name: n, body, .. } = &def.kind else {
        panic!("{def:?}")
    };
    assert_eq!(n, "f");
    let StmtKind::Async(with) = &body[0].kind else {
        panic!("{body:?}")
    };
    assert!(matches!(with.kind, StmtKind::With { .. }));
    // Top-level `await`, `async with` and `async for`, as `python -m asyncio`.
    assert!(matches!(parse("await f()")[0].kind, StmtKind::Expr(_)));
    assert!(matches!(
        parse("async with s:\n    pass\n")[0].kind,
        StmtKind::Async(_)
    ));
}

/// `yield` as a statement, the value of an assignment and parenthesized
/// parse; deeper inside an expression it is valid Python the tutor
/// refuses; outside a function, CPython's `SyntaxError`.
#[test]
fn yield_statements_and_where_yield_is_refused() {
    let body = |src: &str| match parse(src).into_iter().next().map(|s| s.kind) {
        Some(StmtKind::FunctionDef { body, .. }) => body,
        other => panic!("{src:?}: not a def: {other:?}"),
    };
    assert_eq!(
        body("def g():\n    yield 1\n")[0].kind,
        StmtKind::Expr(e(ExprKind::Yield(Some(Box::new(int(1))))))
    );
    assert!(matches!(
        &body("def g():\n    x = yield\n")[0].kind,
        StmtKind::Assign { value, .. } if value.kind == ExprKind::Yield(None)
    ));
    assert!(matches!(
        &body("def g():\n    yield from xs\n")[0].kind,
        StmtKind::Expr(x) if matches!(x.kind, ExprKind::YieldFrom(_))
    ));
    assert_unsupported(
        "def g():\n    x = 1 + yield 2\n",
        "'yield' inside an expression",
        "yield",
    );
    assert_err("yield 1", "'yield' outside function", "yield");
}

#[test]
fn await_outside_an_async_function_is_pythons_syntax_error() {
    // Messages as Python 3.11's compile() gives them.
    assert_err(
        "def f():\n    await g()\n",
        "'await' outside async function",
        "await",
    );
    assert_err(
        "f = lambda: await g()",
        "'await' outside async function",
        "await",
    );
    assert_err(
        "def f():\n    async with g():\n        pass\n",
        "'async with' outside async function",
        "async",
    );
    assert_err(
        "def f():\n    async for x in g():\n        pass\n",
        "'async for' outside async function",
        "async",
    );
    assert_err("async x = 1", "invalid syntax", "x");
    assert_err(
        "def f():\n    return [x async for x in y]\n",
        "asynchronous comprehension outside of an asynchronous function",
        "async",
    );
    // Inside `async def`, a nested plain `def` is not async.
    assert_err(
        "async def f():\n    def g():\n        await h()\n",
        "'await' outside async function",
        "await",
    );
}

/// CPython 3.11's wording and caret for misplaced `/`, `*`, `**` and
/// starred expressions (from `compile()` of each line).
#[test]
fn parameter_and_unpacking_syntax_errors() {
    let cases = [
        ("def f(*): pass", "named arguments must follow bare *", "*"),
        ("lambda *: 0", "named arguments must follow bare *", "*"),
        (
            "def f(**k, a): pass",
            "arguments cannot follow var-keyword argument",
            "a",
        ),
        (
            "def f(**k, **j): pass",
            "arguments cannot follow var-keyword argument",
            "**",
        ),
        (
            "def f(/, a): pass",
            "at least one argument must precede /",
            "/",
        ),
        ("def f(a, /, b, /): pass", "/ may appear only once", "/"),
        ("def f(*a, /): pass", "/ must be ahead of *", "/"),
        (
            "def f(*a, *b): pass",
            "* argument may appear only once",
            "*",
        ),
        (
            "def f(a, *a): pass",
            "duplicate argument 'a' in function definition",
            "a",
        ),
        (
            "f(**k, *a)",
            "iterable argument unpacking follows keyword argument unpacking",
            "*",
        ),
        (
            "f(**k, a)",
            "positional argument follows keyword argument unpacking",
            "a",
        ),
        ("x = *a", "can't use starred expression here", "*a"),
        ("(*a)", "cannot use starred expression here", "*a"),
        (
            "*a = 1",
            "starred assignment target must be in a list or tuple",
            "*a",
        ),
        (
            "for *a in b: pass",
            "starred assignment target must be in a list or tuple",
            "*a",
        ),
        (
            "a, *b, *c = x",
            "multiple starred expressions in assignment",
            "a, *b, *c",
        ),
        ("del *a", "cannot delete starred", "*a"),
        (
            "[*a for a in b]",
            "iterable unpacking cannot be used in comprehension",
            "*a",
        ),
        (
            "x = {**a for a in b}",
            "dict unpacking cannot be used in dict comprehension",
            "**a",
        ),
        (
            "nonlocal x",
            "nonlocal declaration not allowed at module level",
            "nonlocal x",
        ),
    ];
    for (src, message, under) in cases {
        assert_err(src, message, under);
    }
}

#[test]
fn parameters_of_every_kind_unpacking_and_loop_else() {
    let stmts = parse("def f(a, /, b=1, *args, c, d=2, **kw): pass");
    let StmtKind::FunctionDef { params: p, .. } = &stmts[0].kind else {
        panic!("{stmts:?}")
    };
    assert_eq!(p.args, ["a", "b"]);
    assert_eq!(p.posonly, 1);
    assert_eq!(p.defaults, [int(1)]);
    assert_eq!(p.vararg.as_deref(), Some("args"));
    assert_eq!(p.kwonly, ["c", "d"]);
    assert_eq!(p.kw_defaults, [None, Some(int(2))]);
    assert_eq!(p.kwarg.as_deref(), Some("kw"));
    assert_eq!(
        expr("f(*xs, k=1, **d)"),
        e(ExprKind::Call {
            func: Box::new(name("f")),
            args: vec![e(ExprKind::Starred(Box::new(name("xs"))))],
            kwargs: vec![
                Keyword {
                    name: Some("k".into()),
                    value: int(1),
                    span: Span::default(),
                },
                Keyword {
                    name: None,
                    value: name("d"),
                    span: Span::default(),
                },
            ],
        })
    );
    assert_eq!(
        expr("{**d, 'k': 1}"),
        e(ExprKind::Dict(vec![
            (None, name("d")),
            (Some(s("k")), int(1))
        ]))
    );
    let comp = expr("[x for xs in xss if xs for x in xs]");
    let ExprKind::ListComp { generators, .. } = &comp.kind else {
        panic!("{comp:?}")
    };
    assert_eq!(generators.len(), 2);
    let loops =
        parse("for x in y:\n    break\nelse:\n    pass\nwhile x:\n    pass\nelse:\n    pass");
    assert!(matches!(&loops[0].kind, StmtKind::For { orelse, .. } if orelse.len() == 1));
    assert!(matches!(&loops[1].kind, StmtKind::While { orelse, .. } if orelse.len() == 1));
    assert_eq!(
        parse("def f():\n    nonlocal a, b")[0].kind,
        StmtKind::FunctionDef {
            name: "f".into(),
            params: params(&[], vec![]),
            body: vec![st(StmtKind::Nonlocal(vec!["a".into(), "b".into()]))],
        }
    );
}

#[test]
fn a_return_annotation_is_kept_unevaluated() {
    // SQLAlchemy's `declared_attr` reads `-> Mapped[int]`
    let stmts = parse("def f(cls) -> Mapped[int]: pass\ndef g(): pass\n");
    let StmtKind::FunctionDef { params: p, .. } = &stmts[0].kind else {
        panic!("{stmts:?}")
    };
    assert!(
        matches!(
            p.returns.as_deref(),
            Some(Expr {
                kind: ExprKind::Subscript { .. },
                ..
            })
        ),
        "{p:?}"
    );
    let StmtKind::FunctionDef { params: p, .. } = &stmts[1].kind else {
        panic!("{stmts:?}")
    };
    assert!(p.returns.is_none());
}

#[test]
fn bytes_literals() {
    assert_eq!(
        expr(r#"b"\x00a\n""#).kind,
        ExprKind::Bytes(b"\x00a\n".to_vec())
    );
    assert_eq!(
        expr(r#"b'a' rb"\d" B"\101""#).kind,
        ExprKind::Bytes(b"a\\dA".to_vec())
    );
    assert_eq!(
        expr(r#"b"\u00e9""#).kind,
        ExprKind::Bytes(b"\\u00e9".to_vec())
    );
    assert_err(
        "x = b\"caf\u{e9}\"",
        "bytes can only contain ASCII literal characters",
        "b\"caf\u{e9}\"",
    );
    assert_err(
        "x = b\"a\" \"b\" + 1",
        "cannot mix bytes and nonbytes literals",
        "+",
    );
    assert_err(
        r#"x = b"\xzz""#,
        r"(value error) invalid \x escape at position 0",
        r#"b"\xzz""#,
    );
}
