package io.github.reactivemilvus.test.spring;

import io.github.reactivemilvus.spring.MilvusConnectionDetails;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.testcontainers.milvus.MilvusContainer;

/**
 * {@code @ServiceConnection} for Testcontainers' {@code MilvusContainer} (module
 * {@code org.testcontainers:testcontainers-milvus}): the {@code default} alias connects to the container's
 * endpoint. Registered in {@code META-INF/spring.factories}; used only when the test has Testcontainers and
 * spring-boot-testcontainers.
 *
 * <pre>{@code
 * @Container
 * @ServiceConnection
 * static MilvusContainer milvus = new MilvusContainer("milvusdb/milvus:v2.6.4");
 * }</pre>
 */
public final class MilvusContainerConnectionDetailsFactory
    extends ContainerConnectionDetailsFactory<MilvusContainer, MilvusConnectionDetails> {

  /** Accepts containers of any connection name. */
  public MilvusContainerConnectionDetailsFactory() {
    super(ANY_CONNECTION_NAME, "io.github.reactivemilvus.spring.MilvusConnectionDetails", "org.testcontainers.milvus.MilvusContainer");
  }

  @Override
  protected MilvusConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<MilvusContainer> source) {
    return new Details(source);
  }

  /** The container's endpoint, read when the registry is created (the container has started by then). */
  private static final class Details extends ContainerConnectionDetails<MilvusContainer> implements MilvusConnectionDetails {
    Details(ContainerConnectionSource<MilvusContainer> source) {
      super(source);
    }

    @Override
    public String getUri() {
      return getContainer().getEndpoint();
    }
  }
}
