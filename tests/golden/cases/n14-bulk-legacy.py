# Legacy bulk methods: bulk_insert_mappings, bulk_save_objects, bulk_update_mappings
session.bulk_insert_mappings(User, [{"name": "Zed", "email": "zed@example.com"}, {"name": "Yan", "email": "yan@example.com"}])
session.scalars(select(User.name).where(User.id > 8).order_by(User.id)).all()
session.bulk_insert_mappings(Role, [{"name": "a"}, {"name": "b"}], return_defaults=True)
objs = [Role(name="x"), Role(name="y")]
session.bulk_save_objects(objs)
[o.id for o in objs]
objs[0] in session
session.bulk_update_mappings(User, [{"id": 1, "name": "Alicia"}, {"id": 2, "name": "Robert"}])
session.scalars(select(User.name).where(User.id < 3).order_by(User.id)).all()
session.commit()
