-- watermark.lua: raise a "not before" watermark; a watermark never moves backwards.
-- KEYS[1] the watermark (a user's, or one slot's copy of the global one)
-- ARGV[1] now ms, ARGV[2] the new watermark stamp, ARGV[3] how long to keep it, ms
-- Returns the stamp in force afterwards.
-- Atomic: read-compare-write in one step, so racing raises keep the highest.
return raiseWatermark(KEYS[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[1]))
