if ARGV[1] == 'stop' then return 'stopped by the guard' end
