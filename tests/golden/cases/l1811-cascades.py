# fixture: blog
# Lesson 4.18.11 "Cascades and deletes": every demo and prediction, in order.
dave = session.get(User, 4)
[p.title for p in dave.posts]
session.delete(dave)
session.flush()
session.query(Comment).count()
session.rollback()
session.query(User).count()
post = session.get(Post, 8)
[c.content for c in post.comments]
first = post.comments[0]
post.comments.remove(first)
session.flush()
first in session
session.rollback()
tag = session.scalars(select(Tag).filter_by(name="databases")).one()
session.delete(tag)
session.commit()
session.query(Post).count()
session.get(Post, 2).tags
session.query(Post).filter_by(id=5).delete()
session.query(Comment.id, Comment.post_id).filter(Comment.post_id == 5).all()
session.rollback()
post = session.get(Post, 5)
session.delete(post)
session.commit()
session.query(Comment).filter_by(post_id=5).count()
