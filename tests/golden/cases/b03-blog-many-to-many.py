# fixture: blog
# Many-to-many through post_tag: append and remove on either side, and what
# SQLAlchemy sends at flush.
post = session.get(Post, 8)
[t.name for t in post.tags]
python = session.scalars(select(Tag).filter_by(name="python")).one()
post.tags.append(python)
orm = Tag(name="orm")
post.tags.append(orm)
session.flush()
[p.id for p in python.posts]
post.tags.remove(python)
session.commit()
sorted(t.name for t in post.tags)
session.scalars(select(Post.title).join(Post.tags).where(Tag.name == "databases").order_by(Post.id)).all()
session.query(Tag.name, func.count(post_tag.c.post_id)).outerjoin(post_tag).group_by(Tag.id).order_by(Tag.id).all()
