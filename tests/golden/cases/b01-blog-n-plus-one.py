# fixture: blog
# Seed 002's "avoid N+1" example on its own blog models: `post.author.name`
# does not exist (User has `username`), the loop is N+1, joinedload is one query.
posts = session.query(Post).all()
for post in posts:
    print(post.author.name)
for post in posts:
    print(post.title, "by", post.author.username)
session.close()
posts = session.query(Post).options(joinedload(Post.author)).all()
for post in posts:
    print(post.title, "by", post.author.username)
session.close()
posts = session.scalars(select(Post).options(selectinload(Post.comments), selectinload(Post.tags))).all()
[(p.id, len(p.comments), len(p.tags)) for p in posts]
