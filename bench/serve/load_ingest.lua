-- wrk script for load_ingest.sh: requests cycle through the story list, a
-- story search (one of eight words) and one story's brief (its id in the
-- STORY environment variable), and every answer outside 2xx is counted by
-- status, so "no failed request" is checked exactly rather than read off
-- wrk's summary (which lumps 3xx with 2xx).
local story = os.getenv("STORY") or ""
local words = { "court", "police", "election", "climate", "storm", "trade", "school", "fire" }
local paths = {}
for i, w in ipairs(words) do
  paths[#paths + 1] = "/api/stories"
  paths[#paths + 1] = "/api/stories?q=" .. w
  paths[#paths + 1] = "/api/stories/" .. story
end

local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local n = 0
bad = 0
statuses = ""
local seen = {}

function init(args)
  n = tonumber(wrk.thread:get("id")) or 0
end

function request()
  n = n + 1
  return wrk.format("GET", paths[n % #paths + 1])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    seen[status] = (seen[status] or 0) + 1
    local parts = {}
    for s, c in pairs(seen) do parts[#parts + 1] = s .. "=" .. c end
    statuses = table.concat(parts, ",")
  end
end

function done(summary, latency, requests)
  local total = 0
  local all = {}
  for _, t in ipairs(threads) do
    total = total + (tonumber(t:get("bad")) or 0)
    local s = t:get("statuses")
    if s and s ~= "" then all[#all + 1] = s end
  end
  io.write(string.format("lua: non-2xx responses: %d %s\n", total, table.concat(all, ";")))
  local e = summary.errors
  io.write(string.format(
    "lua: socket errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    e.connect, e.read, e.write, e.status, e.timeout))
end
