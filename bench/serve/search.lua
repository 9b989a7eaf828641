-- wrk script: each request searches the story list for one of 64 words
-- (common and rare ones from the development texts), so the server sees
-- varied queries rather than one repeated URL.
local terms = {
  "trump", "court", "police", "election", "climate", "senate", "shooting", "immigration",
  "obama", "clinton", "tax", "health", "border", "russia", "china", "iran",
  "korea", "gun", "vote", "judge", "fire", "earthquake", "storm", "oil",
  "bank", "market", "trade", "tariff", "school", "student", "church", "military",
  "syria", "israel", "mexico", "england", "football", "coach", "injury", "arrest",
  "murder", "rehab", "actor", "album", "apple", "google", "facebook", "twitter",
  "budget", "deficit", "pipeline", "abortion", "marriage", "refugee", "virus", "vaccine",
  "hurricane", "flood", "attack", "bomb", "prison", "governor", "mayor", "protest",
}
local n = 0
request = function()
  n = n + 1
  local t = terms[(n * 7919) % #terms + 1]
  return wrk.format("GET", "/api/stories?q=" .. t)
end
