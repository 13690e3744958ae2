redis.call('INCR', KEYS[1])
return ARGV[1]
