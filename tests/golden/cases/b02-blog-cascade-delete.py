# fixture: blog
# cascade="all, delete-orphan": deleting a user deletes their posts, every
# comment on those posts and their own comments; a post's post_tag rows go
# with it; a comment removed from post.comments is deleted as an orphan.
dave = session.get(User, 4)
session.delete(dave)
session.flush()
session.query(Post).count()
session.query(Comment).count()
session.rollback()
post = session.get(Post, 2)
session.delete(post)
session.flush()
session.execute(select(func.count()).select_from(post_tag)).scalar()
session.rollback()
post = session.get(Post, 8)
c = post.comments[0]
post.comments.remove(c)
session.flush()
session.get(Comment, c.id)
session.rollback()
session.query(Comment).count()
