if A.word == 'stop' then return 'stopped by the guard' end
