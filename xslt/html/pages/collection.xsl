<?xml version="1.0" encoding="UTF-8"?>
<!-- The collection a document belongs to: a member of a teiCorpus file shows the corpus
     headers it stands in (the context's document/collection, outermost first). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:f="urn:x-tei-edition:functions"
  exclude-result-prefixes="#all">

  <xsl:template name="f:collection">
    <xsl:param name="doc" as="element()?"/>
    <xsl:if test="exists($doc/collection)">
      <section class="doc-collection" aria-labelledby="collection-heading">
        <h2 id="collection-heading"><xsl:value-of select="f:msg('collection.heading')"/></h2>
        <p class="collection-path">
          <xsl:for-each select="$doc/collection">
            <xsl:if test="position() gt 1"><xsl:text> › </xsl:text></xsl:if>
            <span class="collection-title"><xsl:value-of select="@title"/></span>
          </xsl:for-each>
        </p>
      </section>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
