# Unified Tutorial, "Using SELECT Statements": SQL functions' .type (known return types, NullType), print() of a subquery and a CTE, type() of a datetime read back
func.now().type
func.some_made_up_thing().type
func.max(User.id).type
func.max(Column("a_str", String)).type
func.current_date().type
func.concat("a", "b").type
func.lower("ABC").type
func.count().type
func.count(User.id).type
func.json_object('{"k", "v"}').type
func.sum(User.id).type
User.name.expression.type
(User.id + 1).type
subq = select(func.count(Message.id).label("n"), Message.user_id).group_by(Message.user_id).subquery()
print(subq)
print(select(User.name).where(User.id > 2).cte("big_ids"))
when = session.scalar(select(User.created_at).where(User.id == 1))
type(when)
print(type(when))
type(when).__name__
type(when) is datetime
