package io.connmgr.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A real Netty server and its clients on 127.0.0.1, for tests; closing it stops both. */
final class Loopback implements AutoCloseable {

  private final EventLoopGroup serverGroup =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final EventLoopGroup clientGroup =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final Channel server;

  /** Starts a server whose child channels get {@code childHandler}. */
  Loopback(ChannelHandler childHandler) throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(serverGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childHandler(childHandler)
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** Connects a client whose pipeline gets {@code handler}. */
  Channel connect(ChannelHandler handler) throws InterruptedException {
    return bootstrap(handler).connect(address()).sync().channel();
  }

  Bootstrap bootstrap(ChannelHandler handler) {
    return new Bootstrap().group(clientGroup).channel(NioSocketChannel.class).handler(handler);
  }

  @Override
  public void close() throws InterruptedException {
    server.close().sync();
    clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    serverGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
  }
}
