//! `sqlalchemy.ext.asyncio` beyond the golden traces y01–y07: file
//! databases, drivers, scopes outside a task, the event loop's tasks
//! (interleaving, recursion, Ctrl-C inside them), and what the tutor does
//! not support yet saying so at the line.

use orm_tutor::fixture::Fixture;
use orm_tutor::outcome::StepOutcome;
use orm_tutor::tutor::{DbTarget, Tutor};

fn run(src: &str) -> Vec<StepOutcome> {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    t.run_script(src)
}

/// The error type and message of the script's last step.
fn error(src: &str) -> (String, String) {
    let e = run(src).pop().expect("a step").error.expect("an error");
    (e.type_name, e.message)
}

#[test]
fn an_aiosqlite_file_url_is_that_file_kept_between_engines() {
    let dir = std::env::temp_dir().join(format!("orm-tutor-async-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("notes.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite+aiosqlite:///{}", path.display());
    let steps = run(&format!(
        "from sqlalchemy.ext.asyncio import create_async_engine\n\
         e = create_async_engine('{url}')\n\
         async with e.begin() as c:\n    await c.execute(text('CREATE TABLE n (x INTEGER)'))\n    await c.execute(text('INSERT INTO n VALUES (7)'))\n\
         e2 = create_async_engine('{url}')\n\
         async with e2.connect() as c:\n    print(await c.scalar(text('SELECT x FROM n')))\n"
    ));
    assert!(steps.iter().all(|s| s.error.is_none()), "{steps:?}");
    assert_eq!(steps.last().map(|s| s.stdout.as_str()), Some("7\n"));
    assert!(path.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_sync_driver_is_sqlalchemys_invalid_request() {
    let (t, m) = error(
        "from sqlalchemy.ext.asyncio import create_async_engine\ncreate_async_engine('sqlite://')",
    );
    assert_eq!(t, "InvalidRequestError");
    assert_eq!(
        m,
        "The asyncio extension requires an async driver to be used. The loaded 'pysqlite' is not async."
    );
}

#[test]
fn other_async_drivers_are_not_supported_yet() {
    let (t, m) = error(
        "from sqlalchemy.ext.asyncio import create_async_engine\ncreate_async_engine('mysql+aiomysql://u@h/db')",
    );
    assert_eq!(t, "NotImplementedError");
    assert!(
        m.starts_with("orm-tutor does not support create_async_engine("),
        "{m}"
    );
}

#[test]
fn an_asyncpg_engine_connects_at_its_first_statement() {
    // as SQLAlchemy's pool: making the engine connects to nothing, so an
    // unreachable server is no error yet (port 1: nothing listens there)
    let out = run("from sqlalchemy.ext.asyncio import create_async_engine\n\
         e = create_async_engine('postgresql+asyncpg://u@127.0.0.1:1/db')\n\
         (e.dialect.name, e.dialect.driver)\n\
         async with e.connect() as conn:\n    await conn.execute(text('SELECT 1'))\n");
    assert!(out[1].error.is_none(), "{:?}", out[1].error);
    let third = orm_tutor::trace::step_json(&out[2]);
    assert_eq!(third["value"], serde_json::json!(["postgresql", "asyncpg"]));
    let last = orm_tutor::trace::step_json(&out[3]);
    assert_eq!(last["error"]["type"], "OperationalError", "{last}");
}

#[test]
fn a_scoped_session_outside_a_task_has_no_running_loop() {
    let (t, m) = error(
        "import asyncio\nfrom sqlalchemy.ext.asyncio import async_scoped_session, async_sessionmaker\n\
         Scoped = async_scoped_session(async_sessionmaker(async_engine), scopefunc=asyncio.current_task)\n\
         Scoped()",
    );
    assert_eq!(
        (t.as_str(), m.as_str()),
        ("RuntimeError", "no running event loop")
    );
}

#[test]
fn each_top_level_await_is_its_own_task() {
    let steps = run("import asyncio\n\
         async def name():\n    return repr(asyncio.current_task())\n\
         a = await name()\n\
         b = await name()\n\
         a != b\n");
    assert_eq!(
        steps.last().and_then(|s| s.value_json.clone()),
        Some(serde_json::Value::Bool(true))
    );
}

#[test]
fn async_comprehensions_in_a_plain_def_are_syntax_errors() {
    let (t, m) = error("def f(xs):\n    return [x async for x in xs]\n");
    assert_eq!(t, "SyntaxError");
    assert!(
        m.starts_with("asynchronous comprehension outside of an asynchronous function"),
        "{m}"
    );
}

#[test]
fn await_in_a_comprehension_of_a_plain_def_is_cpythons_error() {
    let (t, m) =
        error("async def g(x):\n    return x\ndef f(xs):\n    return [await g(x) for x in xs]\n");
    assert_eq!(t, "SyntaxError");
    assert!(
        m.starts_with("asynchronous comprehension outside of an asynchronous function"),
        "{m}"
    );
    let (_, m) = error("async def g(x):\n    return x\ndef f(xs):\n    return await g(xs)\n");
    assert!(m.starts_with("'await' outside async function"), "{m}");
}

/// The step's transaction events and statements as one ordered list.
fn event_order(step: &StepOutcome) -> Vec<String> {
    step.events
        .iter()
        .map(|e| match e {
            orm_tutor::outcome::Event::Tx(t) => format!("{t:?}"),
            orm_tutor::outcome::Event::Statement(s) => {
                format!("{:?}", s.params)
            }
        })
        .collect()
}

#[test]
fn gathered_tasks_interleave_at_each_io_await_as_asyncio() {
    let steps = run(
        "import asyncio\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\
         async def name(i):\n    async with AsyncSession(async_engine) as s:\n        return (await s.get(User, i)).name\n\
         print(await asyncio.gather(name(1), name(2)))",
    );
    let last = steps.last().expect("a step");
    assert!(last.error.is_none(), "{last:?}");
    assert_eq!(last.stdout, "['Alice', 'Bob']\n");
    // Both connect, then both BEGIN and send, then both end: asyncio's
    // order, the tasks switching at each aiosqlite call.
    let order = event_order(last);
    let tx: Vec<&String> = order.iter().filter(|e| !e.starts_with('[')).collect();
    assert_eq!(tx, ["Begin", "Begin", "Rollback", "Rollback"], "{order:?}");
    // A warm pool: no connect, and still interleaved at the statements.
    let steps = run(
        "import asyncio\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\
         async def name(i):\n    async with AsyncSession(async_engine) as s:\n        return (await s.get(User, i)).name\n\
         await name(3)\n\
         print(await asyncio.gather(name(1), asyncio.sleep(0, 'x'), name(2)))",
    );
    let last = steps.last().expect("a step");
    assert_eq!(last.stdout, "['Alice', 'x', 'Bob']\n");
    let order = event_order(last);
    let tx: Vec<&String> = order.iter().filter(|e| !e.starts_with('[')).collect();
    assert_eq!(tx, ["Begin", "Begin", "Rollback", "Rollback"], "{order:?}");
}

#[test]
fn a_task_recursing_too_deep_gets_recursion_error_not_a_crash() {
    let steps = run("import asyncio\n\
         def down(n):\n    return down(n + 1)\n\
         async def deep():\n    await asyncio.sleep(0)\n    return down(0)\n\
         async def fine():\n    await asyncio.sleep(0)\n    return 'ok'\n\
         print(await asyncio.gather(deep(), fine(), deep(), return_exceptions=True))");
    let last = steps.last().expect("a step");
    assert!(last.error.is_none(), "{last:?}");
    assert!(
        last.stdout
            .starts_with("[RecursionError('maximum recursion depth exceeded"),
        "{}",
        last.stdout
    );
    assert!(last.stdout.contains("'ok'"), "{}", last.stdout);
    // The main stack's own limit is untouched by the tasks'.
    let (t, _) = error("def down(n):\n    return down(n + 1)\ndown(0)");
    assert_eq!(t, "RecursionError");
}

#[test]
fn keyboard_interrupt_in_a_task_leaves_the_loop_at_once() {
    let steps = run("import asyncio\n\
         async def stop():\n    raise KeyboardInterrupt\n\
         async def spin():\n    while True:\n        await asyncio.sleep(0)\n\
         await asyncio.gather(spin(), stop())\n\
         print('after')");
    let n = steps.len();
    assert_eq!(
        steps[n - 2].error.as_ref().map(|e| e.type_name.as_str()),
        Some("KeyboardInterrupt")
    );
    // The spinning task was cancelled at the step's end.
    assert_eq!(steps[n - 1].stdout, "after\n");
}

#[test]
fn a_failing_task_group_cancels_the_others_and_raises_an_exception_group() {
    let steps = run("import asyncio\n\
         log = []\n\
         async def boom():\n    raise ValueError('x')\n\
         async def slow():\n    try:\n        await asyncio.sleep(1)\n    except asyncio.CancelledError:\n        log.append('cancelled')\n        raise\n\
         async def main():\n    async with asyncio.TaskGroup() as tg:\n        tg.create_task(slow())\n        tg.create_task(boom())\n\
         asyncio.run(main())\n\
         log");
    let n = steps.len();
    let e = steps[n - 2].error.as_ref().expect("an error");
    assert_eq!(e.type_name, "ExceptionGroup");
    assert_eq!(
        e.message,
        "unhandled errors in a TaskGroup (1 sub-exception)"
    );
    assert_eq!(e.group.len(), 1);
    assert_eq!(e.group[0].type_name, "ValueError");
    assert_eq!(
        steps[n - 1].value_json,
        Some(serde_json::json!(["cancelled"]))
    );
}

#[test]
fn a_task_awaiting_itself_ends_with_an_error_not_a_hang() {
    let steps = run("import asyncio\n\
         async def me():\n    await asyncio.sleep(0)\n    return await t\n\
         async def main():\n    global t\n    t = asyncio.create_task(me())\n    return await t\n\
         asyncio.run(main())");
    let e = steps
        .last()
        .and_then(|s| s.error.as_ref())
        .expect("an error");
    assert_eq!(e.type_name, "RuntimeError");
}

#[test]
fn hundreds_of_tasks_run_and_past_the_limit_the_tutor_says_so() {
    let steps = run("import asyncio\n\
         async def one(i):\n    await asyncio.sleep(0)\n    return i\n\
         async def many(n):\n    return sum(await asyncio.gather(*[one(i) for i in range(n)]))\n\
         asyncio.run(many(900))\n\
         asyncio.run(many(1001))");
    let n = steps.len();
    assert_eq!(steps[n - 2].value_json, Some(serde_json::json!(404550)));
    let e = steps[n - 1].error.as_ref().expect("an error");
    assert_eq!(e.type_name, "NotImplementedError");
    assert!(
        e.message.contains("more than 1000 asyncio tasks"),
        "{}",
        e.message
    );
}
