"""A TLS front end on 127.0.0.1 for a plain-HTTP backend on 127.0.0.1 (the
dev tenant), for the HTTPS figures of bench/tasks.sh.

    python3 bench/tls_front.py CERT KEY BACKEND_PORT

Prints the port it listens on, then serves until killed. Each connection
is decrypted and piped to a new backend connection, both ways.
"""
import socket
import ssl
import sys
import threading


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(conn, ctx, backend_port):
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError):
        conn.close()
        return
    back = socket.create_connection(("127.0.0.1", backend_port))
    threading.Thread(target=pipe, args=(back, tls), daemon=True).start()
    pipe(tls, back)


def main():
    cert, key, backend_port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.set_alpn_protocols(["http/1.1"])
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn, ctx, backend_port), daemon=True).start()


if __name__ == "__main__":
    main()
