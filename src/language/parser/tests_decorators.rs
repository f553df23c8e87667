//! Parser tests of decorators (`@expr` before `def`, `async def`, `class`).

use crate::language::ast::{ExprKind, StmtKind};

use super::parse_module;

#[test]
fn decorators_wrap_the_definition_in_source_order() {
    let src = "@retry(3)\n@log\ndef f():\n    pass\n";
    let body = parse_module(src).unwrap();
    assert_eq!(body.len(), 1);
    let StmtKind::Decorated {
        decorators,
        definition,
    } = &body[0].kind
    else {
        panic!("not decorated: {:?}", body[0]);
    };
    assert_eq!(decorators.len(), 2);
    assert!(matches!(decorators[0].kind, ExprKind::Call { .. }));
    assert!(matches!(&decorators[1].kind, ExprKind::Name(n) if n == "log"));
    assert!(matches!(&definition.kind, StmtKind::FunctionDef { name, .. } if name == "f"));
    assert_eq!(&src[body[0].span.start..body[0].span.end], src.trim_end());
}

#[test]
fn decorators_go_on_classes_async_defs_and_methods() {
    let src = "@dataclass\nclass A:\n    @property\n    def x(self):\n        return 1\n@dec\nasync def g():\n    pass\n";
    let body = parse_module(src).unwrap();
    assert_eq!(body.len(), 2);
    let StmtKind::Decorated { definition, .. } = &body[0].kind else {
        panic!("{:?}", body[0]);
    };
    let StmtKind::ClassDef {
        body: class_body, ..
    } = &definition.kind
    else {
        panic!("{definition:?}");
    };
    assert!(matches!(class_body[0].kind, StmtKind::Decorated { .. }));
    let StmtKind::Decorated { definition, .. } = &body[1].kind else {
        panic!("{:?}", body[1]);
    };
    assert!(matches!(definition.kind, StmtKind::Async(_)));
}

#[test]
fn a_decorator_needs_a_definition_after_it() {
    let e = parse_module("@dec\nx = 1\n").unwrap_err();
    assert_eq!(e.message, "invalid syntax");
    assert!(parse_module("@dec x\ndef f(): pass\n").is_err());
}
