# issue 9: Python's format as CPython 3.11 prints them (a try/print(repr) block per expression)
try:
    print('"%5.1f|%-4s|%03d" % (3.14159, "ab", 7)', '=>', repr("%5.1f|%-4s|%03d" % (3.14159, "ab", 7)))
except Exception as e:
    print('"%5.1f|%-4s|%03d" % (3.14159, "ab", 7)', '=>', type(e).__name__, e)

try:
    print('"%+d|% d|%-5d|%05d" % (5, 5, -3, -3)', '=>', repr("%+d|% d|%-5d|%05d" % (5, 5, -3, -3)))
except Exception as e:
    print('"%+d|% d|%-5d|%05d" % (5, 5, -3, -3)', '=>', type(e).__name__, e)

try:
    print('"%#x %#o %X %x" % (255, 8, 255, -255)', '=>', repr("%#x %#o %X %x" % (255, 8, 255, -255)))
except Exception as e:
    print('"%#x %#o %X %x" % (255, 8, 255, -255)', '=>', type(e).__name__, e)

try:
    print('"%*d|%-*s|%.*f" % (4, 7, 3, "a", 2, 3.14159)', '=>', repr("%*d|%-*s|%.*f" % (4, 7, 3, "a", 2, 3.14159)))
except Exception as e:
    print('"%*d|%-*s|%.*f" % (4, 7, 3, "a", 2, 3.14159)', '=>', type(e).__name__, e)

try:
    print('"%.3d %e %g %G" % (5, 12345.678, 0.00001, 1e20)', '=>', repr("%.3d %e %g %G" % (5, 12345.678, 0.00001, 1e20)))
except Exception as e:
    print('"%.3d %e %g %G" % (5, 12345.678, 0.00001, 1e20)', '=>', type(e).__name__, e)

try:
    print('"%.2s|%05s|%c%c|%r|%a" % ("abc", "ab", 97, "b", "x", "é")', '=>', repr("%.2s|%05s|%c%c|%r|%a" % ("abc", "ab", 97, "b", "x", "é")))
except Exception as e:
    print('"%.2s|%05s|%c%c|%r|%a" % ("abc", "ab", 97, "b", "x", "é")', '=>', type(e).__name__, e)

try:
    print('"%d%%" % 99.9', '=>', repr("%d%%" % 99.9))
except Exception as e:
    print('"%d%%" % 99.9', '=>', type(e).__name__, e)

try:
    print('"%(a)s-%(b)05.1f" % {"a": 1, "b": 2.25}', '=>', repr("%(a)s-%(b)05.1f" % {"a": 1, "b": 2.25}))
except Exception as e:
    print('"%(a)s-%(b)05.1f" % {"a": 1, "b": 2.25}', '=>', type(e).__name__, e)

try:
    print('"%(c)s" % {}', '=>', repr("%(c)s" % {}))
except Exception as e:
    print('"%(c)s" % {}', '=>', type(e).__name__, e)

try:
    print('"%(a)s" % 1', '=>', repr("%(a)s" % 1))
except Exception as e:
    print('"%(a)s" % 1', '=>', type(e).__name__, e)

try:
    print('"%d" % "x"', '=>', repr("%d" % "x"))
except Exception as e:
    print('"%d" % "x"', '=>', type(e).__name__, e)

try:
    print('"%x" % 1.5', '=>', repr("%x" % 1.5))
except Exception as e:
    print('"%x" % 1.5', '=>', type(e).__name__, e)

try:
    print('"%f" % "x"', '=>', repr("%f" % "x"))
except Exception as e:
    print('"%f" % "x"', '=>', type(e).__name__, e)

try:
    print('"%q" % 1', '=>', repr("%q" % 1))
except Exception as e:
    print('"%q" % 1', '=>', type(e).__name__, e)

try:
    print('"%s %s" % 1', '=>', repr("%s %s" % 1))
except Exception as e:
    print('"%s %s" % 1', '=>', type(e).__name__, e)

try:
    print('"%s" % (1, 2)', '=>', repr("%s" % (1, 2)))
except Exception as e:
    print('"%s" % (1, 2)', '=>', type(e).__name__, e)

try:
    print('"abc" % {}', '=>', repr("abc" % {}))
except Exception as e:
    print('"abc" % {}', '=>', type(e).__name__, e)

try:
    print('"abc%" % 1', '=>', repr("abc%" % 1))
except Exception as e:
    print('"abc%" % 1', '=>', type(e).__name__, e)

try:
    print('"{:.3e}".format(12345.678)', '=>', repr("{:.3e}".format(12345.678)))
except Exception as e:
    print('"{:.3e}".format(12345.678)', '=>', type(e).__name__, e)

try:
    print('"{:e}|{:E}".format(0.0001, 1e100)', '=>', repr("{:e}|{:E}".format(0.0001, 1e100)))
except Exception as e:
    print('"{:e}|{:E}".format(0.0001, 1e100)', '=>', type(e).__name__, e)

try:
    print('"{:g}|{:g}|{:g}|{:G}".format(0.0001, 1e20, 123456789.0, 1e-7)', '=>', repr("{:g}|{:g}|{:g}|{:G}".format(0.0001, 1e20, 123456789.0, 1e-7)))
except Exception as e:
    print('"{:g}|{:g}|{:g}|{:G}".format(0.0001, 1e20, 123456789.0, 1e-7)', '=>', type(e).__name__, e)

try:
    print('"{:.3}|{:.3}|{:.3}".format(1e20, 1.0, 1234.5)', '=>', repr("{:.3}|{:.3}|{:.3}".format(1e20, 1.0, 1234.5)))
except Exception as e:
    print('"{:.3}|{:.3}|{:.3}".format(1e20, 1.0, 1234.5)', '=>', type(e).__name__, e)

try:
    print('"{!r}|{!s}|{!a}".format("x", "y", "é")', '=>', repr("{!r}|{!s}|{!a}".format("x", "y", "é")))
except Exception as e:
    print('"{!r}|{!s}|{!a}".format("x", "y", "é")', '=>', type(e).__name__, e)

try:
    print('"{0[0]}|{1[k]}|{0[1]}".format([5, 6], {"k": "v"})', '=>', repr("{0[0]}|{1[k]}|{0[1]}".format([5, 6], {"k": "v"})))
except Exception as e:
    print('"{0[0]}|{1[k]}|{0[1]}".format([5, 6], {"k": "v"})', '=>', type(e).__name__, e)

try:
    print('"{:x} {:o} {:b} {:#x} {:#X} {:#b} {:#o}".format(255, 8, 5, 255, 255, 5, 8)', '=>', repr("{:x} {:o} {:b} {:#x} {:#X} {:#b} {:#o}".format(255, 8, 5, 255, 255, 5, 8)))
except Exception as e:
    print('"{:x} {:o} {:b} {:#x} {:#X} {:#b} {:#o}".format(255, 8, 5, 255, 255, 5, 8)', '=>', type(e).__name__, e)

try:
    print('"{:,} {:_} {:_x} {:,.2f} {:010,}".format(1234567, 1234, 65535, 1234.5, 1234)', '=>', repr("{:,} {:_} {:_x} {:,.2f} {:010,}".format(1234567, 1234, 65535, 1234.5, 1234)))
except Exception as e:
    print('"{:,} {:_} {:_x} {:,.2f} {:010,}".format(1234567, 1234, 65535, 1234.5, 1234)', '=>', type(e).__name__, e)

try:
    print('"{:%} {:.1%} {:n} {:n}".format(0.25, 0.125, 1234, 1.5)', '=>', repr("{:%} {:.1%} {:n} {:n}".format(0.25, 0.125, 1234, 1.5)))
except Exception as e:
    print('"{:%} {:.1%} {:n} {:n}".format(0.25, 0.125, 1234, 1.5)', '=>', type(e).__name__, e)

try:
    print('"{:+} {: } {:=+8} {:*^9} {:<4}|".format(7, 7, 42, "ab", 1)', '=>', repr("{:+} {: } {:=+8} {:*^9} {:<4}|".format(7, 7, 42, "ab", 1)))
except Exception as e:
    print('"{:+} {: } {:=+8} {:*^9} {:<4}|".format(7, 7, 42, "ab", 1)', '=>', type(e).__name__, e)

try:
    print('"{:{w}.{p}f}|{:>{}}".format(3.14159, "a", 4, w=8, p=2)', '=>', repr("{:{w}.{p}f}|{:>{}}".format(3.14159, "a", 4, w=8, p=2)))
except Exception as e:
    print('"{:{w}.{p}f}|{:>{}}".format(3.14159, "a", 4, w=8, p=2)', '=>', type(e).__name__, e)

try:
    print('"{0}{1}{0}".format("a", "b")', '=>', repr("{0}{1}{0}".format("a", "b")))
except Exception as e:
    print('"{0}{1}{0}".format("a", "b")', '=>', type(e).__name__, e)

try:
    print('"{}{1}".format(1, 2)', '=>', repr("{}{1}".format(1, 2)))
except Exception as e:
    print('"{}{1}".format(1, 2)', '=>', type(e).__name__, e)

try:
    print('"{".format()', '=>', repr("{".format()))
except Exception as e:
    print('"{".format()', '=>', type(e).__name__, e)

try:
    print('"}".format()', '=>', repr("}".format()))
except Exception as e:
    print('"}".format()', '=>', type(e).__name__, e)

try:
    print('"{!x}".format(1)', '=>', repr("{!x}".format(1)))
except Exception as e:
    print('"{!x}".format(1)', '=>', type(e).__name__, e)

try:
    print('"{:d}".format(1.5)', '=>', repr("{:d}".format(1.5)))
except Exception as e:
    print('"{:d}".format(1.5)', '=>', type(e).__name__, e)

try:
    print('"{:s}".format(1)', '=>', repr("{:s}".format(1)))
except Exception as e:
    print('"{:s}".format(1)', '=>', type(e).__name__, e)

try:
    print('"{:.2d}".format(1)', '=>', repr("{:.2d}".format(1)))
except Exception as e:
    print('"{:.2d}".format(1)', '=>', type(e).__name__, e)

try:
    print('"{:,x}".format(1)', '=>', repr("{:,x}".format(1)))
except Exception as e:
    print('"{:,x}".format(1)', '=>', type(e).__name__, e)

try:
    print('"{:+}".format("a")', '=>', repr("{:+}".format("a")))
except Exception as e:
    print('"{:+}".format("a")', '=>', type(e).__name__, e)

try:
    print('"{:=}".format("a")', '=>', repr("{:=}".format("a")))
except Exception as e:
    print('"{:=}".format("a")', '=>', type(e).__name__, e)

try:
    print('"{:#}".format("a")', '=>', repr("{:#}".format("a")))
except Exception as e:
    print('"{:#}".format("a")', '=>', type(e).__name__, e)

try:
    print('"{:>3}".format(None)', '=>', repr("{:>3}".format(None)))
except Exception as e:
    print('"{:>3}".format(None)', '=>', type(e).__name__, e)

try:
    print('"{:05}|{:^7.2f}|{:#.0f}|{:#g}|{:z.1f}".format("ab", 3.14159, 2.0, 2.0, -0.01)', '=>', repr("{:05}|{:^7.2f}|{:#.0f}|{:#g}|{:z.1f}".format("ab", 3.14159, 2.0, 2.0, -0.01)))
except Exception as e:
    print('"{:05}|{:^7.2f}|{:#.0f}|{:#g}|{:z.1f}".format("ab", 3.14159, 2.0, 2.0, -0.01)', '=>', type(e).__name__, e)

try:
    print('format(3.5, ".0f")', '=>', repr(format(3.5, ".0f")))
except Exception as e:
    print('format(3.5, ".0f")', '=>', type(e).__name__, e)

try:
    print('format(2.5, ".0f")', '=>', repr(format(2.5, ".0f")))
except Exception as e:
    print('format(2.5, ".0f")', '=>', type(e).__name__, e)

try:
    print('format(1234, "_")', '=>', repr(format(1234, "_")))
except Exception as e:
    print('format(1234, "_")', '=>', type(e).__name__, e)

try:
    print('format(255, "#010x")', '=>', repr(format(255, "#010x")))
except Exception as e:
    print('format(255, "#010x")', '=>', type(e).__name__, e)

try:
    print('format(True, ">5")', '=>', repr(format(True, ">5")))
except Exception as e:
    print('format(True, ">5")', '=>', type(e).__name__, e)

try:
    print('format(True)', '=>', repr(format(True)))
except Exception as e:
    print('format(True)', '=>', type(e).__name__, e)

try:
    print('format("x", "^5")', '=>', repr(format("x", "^5")))
except Exception as e:
    print('format("x", "^5")', '=>', type(e).__name__, e)

try:
    print('format(1.0)', '=>', repr(format(1.0)))
except Exception as e:
    print('format(1.0)', '=>', type(e).__name__, e)

try:
    print('format(97, "c")', '=>', repr(format(97, "c")))
except Exception as e:
    print('format(97, "c")', '=>', type(e).__name__, e)

try:
    print('format(1, 1)', '=>', repr(format(1, 1)))
except Exception as e:
    print('format(1, 1)', '=>', type(e).__name__, e)

try:
    print('f"{12345.678:.3e}|{255:#x}|{1234567:,}|{0.5:.0%}|{\'x\'!r:>5}"', '=>', repr(f"{12345.678:.3e}|{255:#x}|{1234567:,}|{0.5:.0%}|{'x'!r:>5}"))
except Exception as e:
    print('f"{12345.678:.3e}|{255:#x}|{1234567:,}|{0.5:.0%}|{\'x\'!r:>5}"', '=>', type(e).__name__, e)

try:
    print('type(1) is int', '=>', repr(type(1) is int))
except Exception as e:
    print('type(1) is int', '=>', type(e).__name__, e)

try:
    print('type("a") is str and type([]) is list and type({}) is dict and type(()) is tuple', '=>', repr(type("a") is str and type([]) is list and type({}) is dict and type(()) is tuple))
except Exception as e:
    print('type("a") is str and type([]) is list and type({}) is dict and type(()) is tuple', '=>', type(e).__name__, e)

try:
    print('type(1.5) == float and type(True) is bool and type({1}) is set', '=>', repr(type(1.5) == float and type(True) is bool and type({1}) is set))
except Exception as e:
    print('type(1.5) == float and type(True) is bool and type({1}) is set', '=>', type(e).__name__, e)

try:
    print('type(1) is float', '=>', repr(type(1) is float))
except Exception as e:
    print('type(1) is float', '=>', type(e).__name__, e)

try:
    print('int', '=>', repr(int))
except Exception as e:
    print('int', '=>', type(e).__name__, e)

try:
    print('repr(enumerate(["a"])).startswith("<enumerate object at 0x")', '=>', repr(repr(enumerate(["a"])).startswith("<enumerate object at 0x")))
except Exception as e:
    print('repr(enumerate(["a"])).startswith("<enumerate object at 0x")', '=>', type(e).__name__, e)

try:
    print('list(enumerate(["a", "b"], 1))', '=>', repr(list(enumerate(["a", "b"], 1))))
except Exception as e:
    print('list(enumerate(["a", "b"], 1))', '=>', type(e).__name__, e)

try:
    print('list(zip([1, 2], "ab"))', '=>', repr(list(zip([1, 2], "ab"))))
except Exception as e:
    print('list(zip([1, 2], "ab"))', '=>', type(e).__name__, e)

