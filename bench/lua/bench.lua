-- Interpreter workload for xlat: a mix of table, string, closure and
-- metatable work, so that Lua's VM dispatch (an indirect branch per opcode)
-- and its C library calls dominate. Deterministic: its own LCG, integer and
-- basic floating-point arithmetic only, so every build prints the same bytes.
--   lua bench.lua [SCALE]     SCALE 1 is a few milliseconds natively

local scale = tonumber(arg and arg[1]) or 1

local seed = 42
local function rand(n)
  seed = (seed * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff
  return (seed >> 33) % n
end

-- Arrays: fill, sort with a comparator closure, binary search.
local function arrays(n)
  local t = {}
  for i = 1, n do t[i] = rand(1000000) end
  table.sort(t, function(a, b) return a > b end)
  local sum, lo, hi = 0, 1, #t
  for i = 1, n, 7 do sum = sum + t[i] end
  local want = t[n // 3]
  while lo < hi do
    local mid = (lo + hi) // 2
    if t[mid] > want then lo = mid + 1 else hi = mid end
  end
  return sum + lo
end

-- Hash tables with string keys: word counts.
local syll = { "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "qu" }
local function words(n)
  local counts, distinct = {}, 0
  for _ = 1, n do
    local w = syll[rand(10) + 1] .. syll[rand(10) + 1] .. syll[rand(4) + 1]
    local c = counts[w]
    if not c then distinct = distinct + 1; c = 0 end
    counts[w] = c + 1
  end
  local keys = {}
  for k in pairs(counts) do keys[#keys + 1] = k end
  table.sort(keys)
  local best, bestc = "", 0
  for _, k in ipairs(keys) do
    if counts[k] > bestc then best, bestc = k, counts[k] end
  end
  return distinct, best, bestc
end

-- Strings: format, concat, gsub, find, byte.
local function strings(n)
  local parts = {}
  for i = 1, n do
    parts[#parts + 1] = string.format("%05d:%s;", i * 37 % 100000,
                                      string.rep("ab", i % 5 + 1))
  end
  local s = table.concat(parts)
  local replaced, count = s:gsub("(%d+):(a?b?)", "%2<%1>")
  local found, pos = 0, 1
  while true do
    local a, b = replaced:find("<0%d+>", pos)
    if not a then break end
    found, pos = found + 1, b + 1
  end
  local h = 0
  for i = 1, #replaced, 3 do h = (h * 31 + replaced:byte(i)) & 0xffffffff end
  return #s, count, found, h
end

-- Closures and higher-order functions.
local function map(t, f) local r = {} for i = 1, #t do r[i] = f(t[i]) end return r end
local function filter(t, p)
  local r = {} for i = 1, #t do if p(t[i]) then r[#r + 1] = t[i] end end return r
end
local function reduce(t, f, acc) for i = 1, #t do acc = f(acc, t[i]) end return acc end

local function closures(n)
  local counters = {}
  for i = 1, 16 do
    local c = i
    counters[i] = function(d) c = c + d; return c end
  end
  local t = {}
  for i = 1, n do t[i] = counters[i % 16 + 1](i % 3) end
  local sq = map(t, function(x) return x * x % 1009 end)
  local odd = filter(sq, function(x) return x % 2 == 1 end)
  return reduce(odd, function(a, x) return (a + x) % 1000003 end, 0)
end

-- Metatables: a small vector class with operators and methods.
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({ x = x, y = y }, Vec) end
function Vec.__add(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
function Vec.__mul(a, k) return Vec.new(a.x * k, a.y * k) end
function Vec:dot(o) return self.x * o.x + self.y * o.y end

local function vectors(n)
  local acc, v = Vec.new(0, 0), Vec.new(0.5, -0.25)
  for i = 1, n do
    local w = Vec.new(i % 7 - 3, i % 5 - 2)
    acc = acc + w * 0.5
    v = Vec.new(v.y, v.x) + w * 0.125
  end
  return string.format("%.6f %.6f %.6f", acc.x, acc.y, acc:dot(v))
end

local total = 0
for round = 1, scale do
  total = (total + arrays(3000)) % 1000000007
  local d, best, bc = words(4000)
  local len, cnt, found, h = strings(1500)
  local c = closures(4000)
  local vs = vectors(3000)
  if round == scale then
    print("arrays", total)
    print("words", d, best, bc)
    print("strings", len, cnt, found, h)
    print("closures", c)
    print("vectors", vs)
  end
end
