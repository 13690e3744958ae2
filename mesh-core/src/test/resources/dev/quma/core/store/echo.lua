redis.call('INCR', K.counter)
if K.optional then redis.call('SET', K.optional, A.word) end
if A.more then return A.word .. ' ' .. table.concat(A.more, ',') end
return A.word
