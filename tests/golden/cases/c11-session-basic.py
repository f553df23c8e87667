r = Role(name="editor")
session.add(r)
print(r in session, r in session.new)
session.new
session.flush()
print(r.id, r in session.new)
session.commit()
print(r.name)
session.delete(r)
print(r in session.deleted, len(session.deleted))
session.deleted
session.commit()
print(inspect(r).detached, inspect(r).deleted, inspect(r).was_deleted)
session.get(Role, r.id)
