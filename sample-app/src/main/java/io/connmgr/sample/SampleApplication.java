package io.connmgr.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Starts the sample node: the WebSocket endpoint, the swarm, the console and the actuator. */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

  /** Runs the sample; {@code --server.port=...} and every {@code sample.*} property apply. */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
