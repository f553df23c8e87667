# issue 9: Python's str methods and built-ins as CPython 3.11 prints them (a try/print(repr) block per expression)
try:
    print('"abc".center(9, "*")', '=>', repr("abc".center(9, "*")))
except Exception as e:
    print('"abc".center(9, "*")', '=>', type(e).__name__, e)

try:
    print('"abc".center(6)', '=>', repr("abc".center(6)))
except Exception as e:
    print('"abc".center(6)', '=>', type(e).__name__, e)

try:
    print('"abc".center(2)', '=>', repr("abc".center(2)))
except Exception as e:
    print('"abc".center(2)', '=>', type(e).__name__, e)

try:
    print('"abc".ljust(5, ".")', '=>', repr("abc".ljust(5, ".")))
except Exception as e:
    print('"abc".ljust(5, ".")', '=>', type(e).__name__, e)

try:
    print('"abc".rjust(5)', '=>', repr("abc".rjust(5)))
except Exception as e:
    print('"abc".rjust(5)', '=>', type(e).__name__, e)

try:
    print('"abc".center(5, "ab")', '=>', repr("abc".center(5, "ab")))
except Exception as e:
    print('"abc".center(5, "ab")', '=>', type(e).__name__, e)

try:
    print('"abc".zfill(6)', '=>', repr("abc".zfill(6)))
except Exception as e:
    print('"abc".zfill(6)', '=>', type(e).__name__, e)

try:
    print('"-5".zfill(4)', '=>', repr("-5".zfill(4)))
except Exception as e:
    print('"-5".zfill(4)', '=>', type(e).__name__, e)

try:
    print('"+5".zfill(4)', '=>', repr("+5".zfill(4)))
except Exception as e:
    print('"+5".zfill(4)', '=>', type(e).__name__, e)

try:
    print('"Hello World".swapcase()', '=>', repr("Hello World".swapcase()))
except Exception as e:
    print('"Hello World".swapcase()', '=>', type(e).__name__, e)

try:
    print('"a-b-c".rsplit("-", 1)', '=>', repr("a-b-c".rsplit("-", 1)))
except Exception as e:
    print('"a-b-c".rsplit("-", 1)', '=>', type(e).__name__, e)

try:
    print('"  a b  c ".rsplit(None, 1)', '=>', repr("  a b  c ".rsplit(None, 1)))
except Exception as e:
    print('"  a b  c ".rsplit(None, 1)', '=>', type(e).__name__, e)

try:
    print('"  a b  c ".rsplit()', '=>', repr("  a b  c ".rsplit()))
except Exception as e:
    print('"  a b  c ".rsplit()', '=>', type(e).__name__, e)

try:
    print('"a,b".rsplit(",")', '=>', repr("a,b".rsplit(",")))
except Exception as e:
    print('"a,b".rsplit(",")', '=>', type(e).__name__, e)

try:
    print('"a b".partition(" ")', '=>', repr("a b".partition(" ")))
except Exception as e:
    print('"a b".partition(" ")', '=>', type(e).__name__, e)

try:
    print('"a b c".rpartition(" ")', '=>', repr("a b c".rpartition(" ")))
except Exception as e:
    print('"a b c".rpartition(" ")', '=>', type(e).__name__, e)

try:
    print('"abc".partition("z")', '=>', repr("abc".partition("z")))
except Exception as e:
    print('"abc".partition("z")', '=>', type(e).__name__, e)

try:
    print('"abc".rpartition("z")', '=>', repr("abc".rpartition("z")))
except Exception as e:
    print('"abc".rpartition("z")', '=>', type(e).__name__, e)

try:
    print('"a".partition("")', '=>', repr("a".partition("")))
except Exception as e:
    print('"a".partition("")', '=>', type(e).__name__, e)

try:
    print('"abcabc".rfind("b")', '=>', repr("abcabc".rfind("b")))
except Exception as e:
    print('"abcabc".rfind("b")', '=>', type(e).__name__, e)

try:
    print('"abc".rfind("z")', '=>', repr("abc".rfind("z")))
except Exception as e:
    print('"abc".rfind("z")', '=>', type(e).__name__, e)

try:
    print('"abcabc".rindex("c", 0, 4)', '=>', repr("abcabc".rindex("c", 0, 4)))
except Exception as e:
    print('"abcabc".rindex("c", 0, 4)', '=>', type(e).__name__, e)

try:
    print('"abc".rindex("z")', '=>', repr("abc".rindex("z")))
except Exception as e:
    print('"abc".rindex("z")', '=>', type(e).__name__, e)

try:
    print('"12".isnumeric()', '=>', repr("12".isnumeric()))
except Exception as e:
    print('"12".isnumeric()', '=>', type(e).__name__, e)

try:
    print('"1.2".isdecimal()', '=>', repr("1.2".isdecimal()))
except Exception as e:
    print('"1.2".isdecimal()', '=>', type(e).__name__, e)

try:
    print('"12".isdecimal()', '=>', repr("12".isdecimal()))
except Exception as e:
    print('"12".isdecimal()', '=>', type(e).__name__, e)

try:
    print('" \\t".isspace()', '=>', repr(" \t".isspace()))
except Exception as e:
    print('" \\t".isspace()', '=>', type(e).__name__, e)

try:
    print('"".isspace()', '=>', repr("".isspace()))
except Exception as e:
    print('"".isspace()', '=>', type(e).__name__, e)

try:
    print('"ab1".isalnum()', '=>', repr("ab1".isalnum()))
except Exception as e:
    print('"ab1".isalnum()', '=>', type(e).__name__, e)

try:
    print('"Hello World".istitle()', '=>', repr("Hello World".istitle()))
except Exception as e:
    print('"Hello World".istitle()', '=>', type(e).__name__, e)

try:
    print('"Hello world".istitle()', '=>', repr("Hello world".istitle()))
except Exception as e:
    print('"Hello world".istitle()', '=>', type(e).__name__, e)

try:
    print('"ABC".isupper()', '=>', repr("ABC".isupper()))
except Exception as e:
    print('"ABC".isupper()', '=>', type(e).__name__, e)

try:
    print('"a\\tb".expandtabs(4)', '=>', repr("a\tb".expandtabs(4)))
except Exception as e:
    print('"a\\tb".expandtabs(4)', '=>', type(e).__name__, e)

try:
    print('"ab\\tc".expandtabs()', '=>', repr("ab\tc".expandtabs()))
except Exception as e:
    print('"ab\\tc".expandtabs()', '=>', type(e).__name__, e)

try:
    print('"l1\\nl2\\r\\nl3".splitlines()', '=>', repr("l1\nl2\r\nl3".splitlines()))
except Exception as e:
    print('"l1\\nl2\\r\\nl3".splitlines()', '=>', type(e).__name__, e)

try:
    print('"l1\\nl2\\n".splitlines(True)', '=>', repr("l1\nl2\n".splitlines(True)))
except Exception as e:
    print('"l1\\nl2\\n".splitlines(True)', '=>', type(e).__name__, e)

try:
    print('"Straße".casefold()', '=>', repr("Straße".casefold()))
except Exception as e:
    print('"Straße".casefold()', '=>', type(e).__name__, e)

try:
    print('"prefix_x".removeprefix("prefix_")', '=>', repr("prefix_x".removeprefix("prefix_")))
except Exception as e:
    print('"prefix_x".removeprefix("prefix_")', '=>', type(e).__name__, e)

try:
    print('"x.py".removesuffix(".py")', '=>', repr("x.py".removesuffix(".py")))
except Exception as e:
    print('"x.py".removesuffix(".py")', '=>', type(e).__name__, e)

try:
    print('"x.py".removesuffix("z")', '=>', repr("x.py".removesuffix("z")))
except Exception as e:
    print('"x.py".removesuffix("z")', '=>', type(e).__name__, e)

try:
    print('"  a b  c ".split(None, 1)', '=>', repr("  a b  c ".split(None, 1)))
except Exception as e:
    print('"  a b  c ".split(None, 1)', '=>', type(e).__name__, e)

try:
    print('"a b".split(None)', '=>', repr("a b".split(None)))
except Exception as e:
    print('"a b".split(None)', '=>', type(e).__name__, e)

try:
    print('ord("a")', '=>', repr(ord("a")))
except Exception as e:
    print('ord("a")', '=>', type(e).__name__, e)

try:
    print('ord("é")', '=>', repr(ord("é")))
except Exception as e:
    print('ord("é")', '=>', type(e).__name__, e)

try:
    print('chr(97)', '=>', repr(chr(97)))
except Exception as e:
    print('chr(97)', '=>', type(e).__name__, e)

try:
    print('chr(233)', '=>', repr(chr(233)))
except Exception as e:
    print('chr(233)', '=>', type(e).__name__, e)

try:
    print('ord("ab")', '=>', repr(ord("ab")))
except Exception as e:
    print('ord("ab")', '=>', type(e).__name__, e)

try:
    print('ord(1)', '=>', repr(ord(1)))
except Exception as e:
    print('ord(1)', '=>', type(e).__name__, e)

try:
    print('chr(-1)', '=>', repr(chr(-1)))
except Exception as e:
    print('chr(-1)', '=>', type(e).__name__, e)

try:
    print('bin(10)', '=>', repr(bin(10)))
except Exception as e:
    print('bin(10)', '=>', type(e).__name__, e)

try:
    print('bin(-5)', '=>', repr(bin(-5)))
except Exception as e:
    print('bin(-5)', '=>', type(e).__name__, e)

try:
    print('hex(255)', '=>', repr(hex(255)))
except Exception as e:
    print('hex(255)', '=>', type(e).__name__, e)

try:
    print('hex(-255)', '=>', repr(hex(-255)))
except Exception as e:
    print('hex(-255)', '=>', type(e).__name__, e)

try:
    print('oct(8)', '=>', repr(oct(8)))
except Exception as e:
    print('oct(8)', '=>', type(e).__name__, e)

try:
    print('bin(1.5)', '=>', repr(bin(1.5)))
except Exception as e:
    print('bin(1.5)', '=>', type(e).__name__, e)

try:
    print('pow(2, 10)', '=>', repr(pow(2, 10)))
except Exception as e:
    print('pow(2, 10)', '=>', type(e).__name__, e)

try:
    print('pow(2, 10, 7)', '=>', repr(pow(2, 10, 7)))
except Exception as e:
    print('pow(2, 10, 7)', '=>', type(e).__name__, e)

try:
    print('pow(3, -1, 7)', '=>', repr(pow(3, -1, 7)))
except Exception as e:
    print('pow(3, -1, 7)', '=>', type(e).__name__, e)

try:
    print('pow(2, 10, -7)', '=>', repr(pow(2, 10, -7)))
except Exception as e:
    print('pow(2, 10, -7)', '=>', type(e).__name__, e)

try:
    print('pow(2, -1)', '=>', repr(pow(2, -1)))
except Exception as e:
    print('pow(2, -1)', '=>', type(e).__name__, e)

try:
    print('pow(2, 1, 0)', '=>', repr(pow(2, 1, 0)))
except Exception as e:
    print('pow(2, 1, 0)', '=>', type(e).__name__, e)

try:
    print('pow(2.0, 3, 5)', '=>', repr(pow(2.0, 3, 5)))
except Exception as e:
    print('pow(2.0, 3, 5)', '=>', type(e).__name__, e)

try:
    print('int("0x1f", 16)', '=>', repr(int("0x1f", 16)))
except Exception as e:
    print('int("0x1f", 16)', '=>', type(e).__name__, e)

try:
    print('int("0b101", 0)', '=>', repr(int("0b101", 0)))
except Exception as e:
    print('int("0b101", 0)', '=>', type(e).__name__, e)

try:
    print('int("0o17", 0)', '=>', repr(int("0o17", 0)))
except Exception as e:
    print('int("0o17", 0)', '=>', type(e).__name__, e)

try:
    print('int("-0x_1f", 0)', '=>', repr(int("-0x_1f", 0)))
except Exception as e:
    print('int("-0x_1f", 0)', '=>', type(e).__name__, e)

try:
    print('int("1_000")', '=>', repr(int("1_000")))
except Exception as e:
    print('int("1_000")', '=>', type(e).__name__, e)

try:
    print('int("010", 0)', '=>', repr(int("010", 0)))
except Exception as e:
    print('int("010", 0)', '=>', type(e).__name__, e)

try:
    print('int("1__0")', '=>', repr(int("1__0")))
except Exception as e:
    print('int("1__0")', '=>', type(e).__name__, e)

try:
    print('int("0x", 16)', '=>', repr(int("0x", 16)))
except Exception as e:
    print('int("0x", 16)', '=>', type(e).__name__, e)

try:
    print('int("12", 1)', '=>', repr(int("12", 1)))
except Exception as e:
    print('int("12", 1)', '=>', type(e).__name__, e)

try:
    print('(1,) * 2', '=>', repr((1,) * 2))
except Exception as e:
    print('(1,) * 2', '=>', type(e).__name__, e)

try:
    print('2 * (1, 2)', '=>', repr(2 * (1, 2)))
except Exception as e:
    print('2 * (1, 2)', '=>', type(e).__name__, e)

try:
    print('() * 5', '=>', repr(() * 5))
except Exception as e:
    print('() * 5', '=>', type(e).__name__, e)

try:
    print('(1, 2) * 0', '=>', repr((1, 2) * 0))
except Exception as e:
    print('(1, 2) * 0', '=>', type(e).__name__, e)

try:
    print('{"a": 1} | {"b": 2}', '=>', repr({"a": 1} | {"b": 2}))
except Exception as e:
    print('{"a": 1} | {"b": 2}', '=>', type(e).__name__, e)

try:
    print('{"a": 1, "b": 2} | {"a": 3}', '=>', repr({"a": 1, "b": 2} | {"a": 3}))
except Exception as e:
    print('{"a": 1, "b": 2} | {"a": 3}', '=>', type(e).__name__, e)

try:
    print('{"a": 1}.popitem()', '=>', repr({"a": 1}.popitem()))
except Exception as e:
    print('{"a": 1}.popitem()', '=>', type(e).__name__, e)

try:
    print('{}.popitem()', '=>', repr({}.popitem()))
except Exception as e:
    print('{}.popitem()', '=>', type(e).__name__, e)

try:
    print('{1, 2} <= {1, 2, 3}', '=>', repr({1, 2} <= {1, 2, 3}))
except Exception as e:
    print('{1, 2} <= {1, 2, 3}', '=>', type(e).__name__, e)

try:
    print('{1, 2} < {1, 2}', '=>', repr({1, 2} < {1, 2}))
except Exception as e:
    print('{1, 2} < {1, 2}', '=>', type(e).__name__, e)

try:
    print('{1, 2, 3} >= {1}', '=>', repr({1, 2, 3} >= {1}))
except Exception as e:
    print('{1, 2, 3} >= {1}', '=>', type(e).__name__, e)

try:
    print('{1, 2} > {1, 2}', '=>', repr({1, 2} > {1, 2}))
except Exception as e:
    print('{1, 2} > {1, 2}', '=>', type(e).__name__, e)

try:
    print('{1, 2}.symmetric_difference({2, 3})', '=>', repr({1, 2}.symmetric_difference({2, 3})))
except Exception as e:
    print('{1, 2}.symmetric_difference({2, 3})', '=>', type(e).__name__, e)

try:
    print('{1, 2}.isdisjoint({3})', '=>', repr({1, 2}.isdisjoint({3})))
except Exception as e:
    print('{1, 2}.isdisjoint({3})', '=>', type(e).__name__, e)

try:
    print('{1, 2}.issubset([1, 2, 3])', '=>', repr({1, 2}.issubset([1, 2, 3])))
except Exception as e:
    print('{1, 2}.issubset([1, 2, 3])', '=>', type(e).__name__, e)

try:
    print('{1}.issuperset({1, 2})', '=>', repr({1}.issuperset({1, 2})))
except Exception as e:
    print('{1}.issuperset({1, 2})', '=>', type(e).__name__, e)

