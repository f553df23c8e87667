# Python's unbounded ints: promoted past 64 bits, demoted back when they fit
x = 2 ** 100
print(x, -x, x // 2**90, type(x // 2**90).__name__, x * x)
print(10 ** 20, 123456789012345678901234567890, 0xffff_ffff_ffff_ffff_ff, 0b1 << 70)
f = 1
for i in range(1, 31):
    f *= i
print(f, f // 2**40)
print(x / 3, 1 / x, x % 7, -x % 7, divmod(x, 7), divmod(-x, 7))
print(pow(3, -1, 7), pow(2, 100, 10**9 + 7), pow(x, 3, -x - 1), abs(-x), abs(-9223372036854775807 - 1))
print(hash(x), hash(-x), hash(2**61 - 1), hash(2**64), hash(x) == hash(float(x)))
print(int(1e300))
print(int("123456789012345678901234567890"), int("-0x" + "f" * 30, 16), int(" 1_000_000_000_000_000_000_000 "))
print(float(x), float(-x))
print(bin(x), hex(-x), oct(x))
print(f"{x:,}", f"{x:x}", format(x, "_"), "%d" % x, "%x" % x, f"{x:.3e}", f"{x:>40}|", "%d" % 1e30)
print(round(x, -10), round(123456, -2), round(9223372036854775807, -1), round(1e300) == int(1e300))
print(sum([x, x, 1]), max(x, 5, 2**99), min(-x, 3), sorted([2**70, 1, -2**70, 2.5]))
print({x: 1}[2**100], x in {x}, 2.0**100 == x, {2.0**100: "f"}[x])
print(isinstance(x, int), type(x).__name__, bool(x), str(x), repr(-x), [x], (x,))
print(x > 1.5, 1e40 > x, x == x + 0.0, 2**53 + 1 == 2.0**53, 2**64 + 1 > 2.0**64, 2**53 + 1 > 2.0**53)
print(10**30 // 7, -(10**30) // 7, 10**30 % -7, (-5) ** 41)
print(1 << 64, (1 << 64) >> 64, -1 >> 200, 2**70 & 2**69 - 1, 2**70 | 1, 2**70 ^ 2**70, ~-x, ~x)
print(5 ^ 3, -5 >> 1, 1 << 3, 6 & 3, True ^ True, True ^ 1)
print(9223372036854775807 + 1, -9223372036854775808 - 1, -(-9223372036854775808), 9223372036854775807 * 2)
print(x ** 0, 0 ** x, (-1) ** x, 1 ** x, 2 ** -2, (-2) ** 63, 3 ** 40)
y = 3
y ^= 1
y <<= 65
print(y, y >> 64)
y >>= 60
print(y)
tests = [
    lambda: float(10**400),
    lambda: 10**400 / 1,
    lambda: 1 << -1,
    lambda: 2**70 >> -1,
    lambda: str(10**5000),
    lambda: int("1" * 5000),
    lambda: pow(2, -1, 4),
    lambda: pow(2, 3, 0),
    lambda: 10**400 * 1.0,
    lambda: 0 ** -1,
    lambda: 10**400 + 0.5,
    lambda: repr(10**4300),
    lambda: len(str(10**4299)),
    lambda: f"{10**400:e}",
    lambda: 1e300 < 10**400,
    lambda: x // 0,
    lambda: x / 0,
]
for t in tests:
    try:
        print(t())
    except Exception as e:
        print(type(e).__name__, e)
print('ab' * 0)
try:
    'ab' * 2**64
except OverflowError as e:
    print('OverflowError', e)
try:
    len(range(2**64))
except OverflowError as e:
    print('OverflowError', e)
