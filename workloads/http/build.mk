# The flag clients download with libcurl (Debian: libcurl4-openssl-dev).
http_LDLIBS := -lcurl
