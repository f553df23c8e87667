# A list or dict that contains itself prints as [...] / {...}; comparing two of them is a RecursionError
x = [1]
x.append(x)
print(x)
print(x == x)
y = [1]
y.append(y)
x == y
x < y
d = {"a": 1}
d["self"] = d
print(d)
print(repr(d), str(x))
t = ([],)
t[0].append(t)
print(t)
deep = []
for i in range(5000):
    deep = [deep]
print(deep)
print(len(str([x, x])))
