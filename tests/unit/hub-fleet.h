/* hub-fleet.h — for serve tests: n stations' CURVE DEALER sockets (station i's keys pk[i],
 * sk[i]) made in ctx into s[0..n) and connected to the hub at endpoint (public key hub_pk),
 * each returned once its handshake is done (the hub's ZAP thread answers it without the
 * serving loop); fails the test if one is not. timeout_ms bounds each socket's receives and
 * each wait on a handshake. Include after cmocka.h. */
#ifndef OUTPOST_TEST_HUB_FLEET_H
#define OUTPOST_TEST_HUB_FLEET_H

#include <stdint.h>
#include <stdio.h>

#include <zmq.h>

static void
hub_test_fleet_connect(void *ctx, void **s, int n, uint8_t (*pk)[32],
    uint8_t (*sk)[32], const char *endpoint, const uint8_t hub_pk[32], int timeout_ms)
{
	char mon[64];
	uint8_t ev[64];
	void *pair;
	int i, linger = 0;

	for (i = 0; i < n; i++) {
		s[i] = zmq_socket(ctx, ZMQ_DEALER);
		assert_non_null(s[i]);
		zmq_setsockopt(s[i], ZMQ_CURVE_SERVERKEY, hub_pk, 32);
		zmq_setsockopt(s[i], ZMQ_CURVE_PUBLICKEY, pk[i], 32);
		zmq_setsockopt(s[i], ZMQ_CURVE_SECRETKEY, sk[i], 32);
		zmq_setsockopt(s[i], ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms);
		zmq_setsockopt(s[i], ZMQ_LINGER, &linger, sizeof linger);
		snprintf(mon, sizeof mon, "inproc://hub-fleet-mon-%d", i);
		assert_int_equal(zmq_socket_monitor(s[i], mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED), 0);
		pair = zmq_socket(ctx, ZMQ_PAIR);
		zmq_setsockopt(pair, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms);
		assert_int_equal(zmq_connect(pair, mon), 0);
		assert_int_equal(zmq_connect(s[i], endpoint), 0);
		/* the event's two frames: an (event, value) word, then the endpoint */
		assert_true(zmq_recv(pair, ev, sizeof ev, 0) >= 6);
		assert_int_equal(ev[0] | ev[1] << 8, ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
		assert_true(zmq_recv(pair, ev, sizeof ev, 0) >= 0);
		zmq_socket_monitor(s[i], NULL, 0);
		zmq_close(pair);
	}
}

#endif
