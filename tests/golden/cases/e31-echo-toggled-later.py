# engine.echo = True on the fixture's engine later: nothing logged before; once on, a Session's statements are logged, and a statement the engine already ran while quiet shows [cached since …]; engine.echo = False stops it again
engine.echo
with Session(engine) as s:
    print(s.scalars(select(User.name).where(User.id == 1)).all())
engine.echo = True
engine.echo
with Session(engine) as s:
    print(s.scalars(select(User.name).where(User.id == 2)).all())
    print(s.scalars(select(User.email).where(User.id == 2)).all())
    s.rollback()
engine.echo = False
with Session(engine) as s:
    print(s.scalars(select(User.name).where(User.id == 3)).all())
