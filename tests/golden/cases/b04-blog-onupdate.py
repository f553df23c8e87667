# fixture: blog
# onupdate=datetime.utcnow: an UPDATE of a post sets updated_at too; an
# INSERT sets both defaults; a post with no author fails at flush.
post = session.get(Post, 2)
post.updated_at
post.title = "The N+1 problem, explained"
session.commit()
post.updated_at > post.created_at
bob = session.get(User, 2)
new = Post(title="Drafts", content="...", author=bob)
session.add(new)
session.flush()
(new.id, new.published, new.created_at == new.updated_at)
orphan = Post(title="No author", content="?")
session.add(orphan)
session.flush()
session.rollback()
